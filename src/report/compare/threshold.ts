import { ConfigError } from '../../core/errors.js';

/**
 * Default regression threshold of `bench compare`: 10%. A change is only a
 * regression when the WHOLE 95% CI of new/base lies beyond this in the bad
 * direction. Chosen from two runs of the same build on the 2-core dev host:
 * see README "Reports" (run-to-run drift of medians that the within-run CIs
 * do not cover stayed below this; a 2x slowdown is far beyond it).
 */
export const DEFAULT_THRESHOLD = 0.1;

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
