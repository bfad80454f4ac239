import type { ClaimEvidence } from '../results/claims.js';
import type { CheckResult } from '../results/isolation.js';
import type { RunResults } from '../results/types.js';
import { notJudged, type Judge } from './judgement.js';
import { checkEvidence, checkOf, isolationMissing } from './read-results.js';

/** The checks that stand for each part of "isolation of the filesystem, the processes and the network". */
export const ISOLATION_PARTS = {
  filesystem: ['root', 'chroot-escape', 'mounts'],
  processes: ['processes', 'ipc'],
  network: ['network'],
} as const;
/** The engine's hardening defaults: their failure weakens the claim without breaking one of its parts. */
const HARDENING = ['namespaces', 'privileges', 'masked-paths', 'syscalls', 'memory-limit'];
/** Routes out of the container: host devices opened, the host's cgroup root mounted, the engine's host binary reached. Any of them refutes the claim. */
export const ESCAPES = ['devices', 'cgroup-escape', 'host-binary'] as const;

function checks(r: RunResults, env: string, names: readonly string[]): CheckResult[] {
  return names.map((n) => checkOf(r, env, n)).filter((c): c is CheckResult => c !== undefined);
}

function names(cs: CheckResult[]): string {
  return cs.map((c) => c.check).join(', ');
}

/** One evidence line per other container-kind environment (runc, bwrap), for comparison. */
function peerEvidence(r: RunResults): ClaimEvidence[] {
  const iso = r.isolation;
  if (!iso) return [];
  return iso.envs.filter((e) => (e.env === 'runc' || e.env === 'bwrap')).map((e) => {
    if (e.status !== 'ok') return { source: `isolation:*@${e.env}`, detail: `${e.status}: ${e.reason ?? ''}` };
    const cs = iso.checks.filter((c) => c.env === e.env);
    const contra = cs.filter((c) => c.outcome === 'contradicts').map((c) => c.check);
    return { source: `isolation:*@${e.env}`, detail: `peer runtime: ${cs.filter((c) => c.outcome === 'as-claimed').length}/${cs.length} as claimed${contra.length ? `; contradicts: ${contra.join(', ')}` : ''}` };
  });
}

export const judgeContainerIsolation: Judge = (r) => {
  const env = 'container';
  const missing = isolationMissing(r, env);
  if (missing) return notJudged(missing);
  const evidence: ClaimEvidence[] = [];
  const broken: string[] = [];
  const unobserved: string[] = [];
  for (const [part, list] of Object.entries(ISOLATION_PARTS)) {
    const cs = checks(r, env, list);
    evidence.push(...cs.map(checkEvidence));
    const bad = cs.filter((c) => c.outcome === 'contradicts');
    if (bad.length) broken.push(`${part} (${names(bad)})`);
    if (cs.length < list.length || cs.some((c) => c.outcome === 'not-applicable')) unobserved.push(part);
  }
  const escapes = checks(r, env, ESCAPES);
  const escaped = escapes.filter((c) => c.outcome === 'contradicts');
  if (escapes.length < ESCAPES.length || escapes.some((c) => c.outcome === 'not-applicable')) unobserved.push('escape routes');
  if (escaped.length) broken.push(`escape routes (${escaped.map((c) => `${c.check}: ${c.observed}`).join('; ')})`);
  const hard = checks(r, env, HARDENING);
  evidence.push(...escapes.map(checkEvidence), ...hard.map(checkEvidence), ...peerEvidence(r));
  const kernel = checkOf(r, env, 'kernel');
  if (kernel) evidence.push(checkEvidence(kernel));
  const weak = hard.filter((c) => c.outcome === 'contradicts');
  const sharedKernel = kernel?.outcome === 'as-claimed' ? ' All of it is done by namespaces of the one host kernel the container shares (same boot_id): a kernel bug crosses every one of these walls.' : '';
  if (broken.length) {
    return { verdict: 'refuted', reason: `our engine's container did not isolate: ${broken.join('; ')}.`, evidence };
  }
  if (unobserved.length) {
    return { verdict: 'nuanced', reason: `could not observe every part: ${unobserved.join(', ')} had missing or unreadable evidence; the rest held.`, evidence };
  }
  if (weak.length) {
    return {
      verdict: 'nuanced',
      reason: `filesystem, processes and network are isolated (host sentinel process, shm segment, loopback listener and file all out of reach), but the hardening around them is weaker than runc's defaults: ${weak.map((c) => `${c.check}: ${c.observed}`).join('; ')}.${sharedKernel}`,
      evidence,
    };
  }
  return {
    verdict: 'confirmed',
    reason: `the host's sentinel process (ESRCH), SysV shm key (ENOENT), loopback listener (unreachable) and sentinel file (even after a root chroot escape attempt) were all out of reach from our engine's container; so were the host's devices (a mknod'ed /dev/kvm and the sentinel loop device refused), the host's cgroup root and the engine's host binary, and the syscall filter refused user namespaces, keyctl, bpf, io_uring and the rest.${sharedKernel}`,
    evidence,
  };
};

export const judgeChrootIsolation: Judge = (r) => {
  const env = 'chroot';
  const missing = isolationMissing(r, env);
  if (missing) return notJudged(missing);
  const root = checkOf(r, env, 'root');
  const escape = checkOf(r, env, 'chroot-escape');
  const shared = checks(r, env, ['processes', 'ipc', 'network', 'hostname', 'namespaces']);
  const evidence = [root, escape, ...shared].filter((c): c is CheckResult => !!c).map(checkEvidence);
  const notShared = shared.filter((c) => c.outcome === 'contradicts');
  if (notShared.length) {
    return { verdict: 'refuted', reason: `the chroot isolated more than the filesystem: ${notShared.map((c) => `${c.check}: ${c.observed}`).join('; ')}`, evidence };
  }
  const sharedText = 'the host\'s processes, SysV shm segment and loopback listener were all visible from inside (nothing but the filesystem view is separated)';
  if (!root || root.outcome !== 'as-claimed') {
    return { verdict: 'refuted', reason: `not even the filesystem view was separated: ${root?.observed ?? 'no root evidence'}`, evidence };
  }
  if (escape?.outcome === 'contradicts') {
    return {
      verdict: 'nuanced',
      reason: `"only" holds: ${sharedText}. But even the filesystem isolation does not hold against root: a root process inside walked out (mkdir x; chroot x; chdir .. x64; chroot .) and read the host's sentinel file. chroot changes a path lookup, it is not a security boundary.`,
      evidence,
    };
  }
  if (escape?.outcome === 'as-claimed') {
    return { verdict: 'confirmed', reason: `"/" is a subtree, the escape did not reach the host's file, and ${sharedText}.`, evidence };
  }
  return { verdict: 'nuanced', reason: `${sharedText}; the filesystem view is separated, but the escape attempt gave no evidence (${escape?.observed ?? 'missing'})`, evidence };
};

/** VM: "total isolation" — every check that applies to a VM came out as claimed. */
export const judgeVmIsolation: Judge = (r) => {
  const env = 'vm';
  const missing = isolationMissing(r, env);
  if (missing) return notJudged(missing);
  const cs = (r.isolation?.checks ?? []).filter((c) => c.env === env);
  const evidence = cs.filter((c) => c.outcome !== 'not-applicable' || c.check === 'namespaces').map(checkEvidence);
  const bad = cs.filter((c) => c.outcome === 'contradicts');
  const judged = cs.filter((c) => c.outcome === 'as-claimed');
  if (bad.length) return { verdict: 'refuted', reason: `the VM guest reached the host: ${bad.map((c) => `${c.check}: ${c.observed}`).join('; ')}`, evidence };
  if (judged.length === 0) return notJudged('no check produced evidence inside the VM', evidence);
  return {
    verdict: 'confirmed',
    reason: `within what the probe checks (${judged.length} checks: ${judged.map((c) => c.check).join(', ')}) nothing of the host was reachable: own kernel, host processes/shm/listener/file invisible. "Total" is more than a probe can show: the guest still shares the host's CPUs, memory bandwidth and disk (see the speed figures), and QEMU itself is host attack surface.`,
    evidence,
  };
};
