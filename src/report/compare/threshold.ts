import { ConfigError } from '../../core/errors.js';

/**
 * Default regression threshold of `bench compare`: 40%. A change is only a
 * regression when the WHOLE 95% CI of new/base (per-round ratio to the host)
 * lies beyond it in the bad direction.
 *
 * Chosen from data: the same build run back to back on the shared 2-core dev
 * host (4 pairs, 8 ordered comparisons, 192 judged rows). The worst row whose
 * whole CI said "slower" per comparison was +0, +6.3, +36.8, +0, +19.1, +0,
 * +27.5 and +0%: cgroup-confined containers get a different CPU share than
 * host processes as the machine's load changes, which no per-round
 * normalization removes. 10% flagged 6 of those 192 rows, 25% flagged 3, 40%
 * none, while a planted 2x slowdown (+100%) is still flagged wherever its CI
 * is tight enough. On a quiet, dedicated runner use --threshold 10%.
 */
export const DEFAULT_THRESHOLD = 0.4;

/** "10%", "10", "0.1" -> 0.1. Plain numbers >= 1 are read as percent. */
export function parseThreshold(text: string): number {
  const t = text.trim();
  const m = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(t);
  if (!m) throw new ConfigError('COMPARE_THRESHOLD', `--threshold must be a percentage like 10% or a fraction like 0.1, got "${text}"`);
  const v = Number(m[1]);
  const frac = m[2] === '%' || v >= 1 ? v / 100 : v;
  if (!(frac > 0 && frac < 10)) throw new ConfigError('COMPARE_THRESHOLD', `--threshold must be above 0% and below 1000%, got "${text}"`);
  return frac;
}
