/**
 * Help text of --env/--require. The environment table lives with the
 * backends, which are heavy to load; main.ts fills the names in only when
 * help is being shown, so `bench ctr run` never loads every backend.
 */
let names: string[] | undefined;

export function setEnvironmentNamesForHelp(list: string[]): void {
  names = list;
}

export function envOptionHelp(): string {
  return `comma-separated environments (${names ? names.join(',') : 'see bench doctor'}); default: all`;
}

/** --reprobe (run, verify, doctor). */
export const REPROBE_HELP = 'probe again instead of using the cached verdicts of slow availability checks (the VM\'s KVM probe boot, gVisor\'s platform); same as ISOBENCH_REPROBE=1';
