/** One colour per environment everywhere (charts, matrix headers), colour-blind-safe (Okabe–Ito). */
const FIXED: Record<string, string> = {
  host: '#5f6b7a',
  chroot: '#e69f00',
  container: '#0072b2',
  runc: '#009e73',
  bwrap: '#cc79a7',
  docker: '#56b4e9',
  gvisor: '#f0e442',
  nspawn: '#7f3c8d',
  vm: '#d55e00',
};
const EXTRA = ['#000000', '#999999'];

export function envColor(env: string, index = 0): string {
  return FIXED[env] ?? EXTRA[index % EXTRA.length] ?? '#999999';
}

/** #rrggbb -> rgba() with alpha. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
