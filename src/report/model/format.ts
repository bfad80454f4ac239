/** Number formatting shared by every renderer, so HTML, Markdown and compare print the same figures. */

/** 3 significant digits, without exponent noise: 0.0452, 1.02, 14.5, 5331. */
export function fmtNum(x: number | undefined, digits = 3): string {
  if (x === undefined || !Number.isFinite(x)) return x === Infinity ? '∞' : '–';
  const a = Math.abs(x);
  if (a >= 10 ** digits) return Math.round(x).toLocaleString('en-US');
  if (a === 0) return '0';
  return Number(x.toPrecision(digits)).toString();
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms >= 10_000) return `${fmtNum(ms / 1000)} s`;
  if (ms < 1) return `${fmtNum(ms * 1000)} µs`;
  return `${fmtNum(ms)} ms`;
}

export function fmtValue(x: number | undefined, unit: string): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  if (unit === 'ms') return fmtMs(x);
  return `${fmtNum(x)} ${unit}`.trim();
}

/** Ratios keep 3 significant digits including trailing zeros (1.00×, 0.0473×) so a column reads evenly. */
export function fmtR(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return '∞';
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3);
}

export function fmtRatio(r: number | undefined): string {
  return r === undefined ? '–' : `${fmtR(r)}×`;
}

export function fmtCI(lo: number, hi: number): string {
  return `[${fmtR(lo)}, ${fmtR(hi)}]`;
}

/** An interval's level as a percentage to a tenth, never rounded up: a sequential interval's 99.33% reads 99.3%, not "99%" or "100%". */
export function fmtLevel(confidence: number): string {
  return `${Math.floor(confidence * 1000 + 1e-9) / 10}%`;
}

export function fmtPct(x: number): string {
  const p = x * 100;
  return `${p > 0 ? '+' : ''}${Math.abs(p) < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

export function fmtBytes(b: number): string {
  if (!Number.isFinite(b)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = b;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return i === 0 ? `${b} B` : `${fmtNum(v)} ${units[i]}`;
}

export function shortDigest(d: string | undefined): string {
  if (!d) return '–';
  const [algo, hex] = d.includes(':') ? d.split(':', 2) : ['', d];
  return `${algo ? `${algo}:` : ''}${(hex ?? '').slice(0, 12)}`;
}

/** argv as a copy-pasteable shell line (single-quoted where needed). */
export function shellLine(argv: readonly string[] | undefined): string {
  if (!argv?.length) return '–';
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
