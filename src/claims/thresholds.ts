/**
 * The numbers behind the speed words of the seed. The seed gives none, so
 * these are ours, stated once here and printed in every verdict that uses
 * them; change them here and every verdict follows.
 *
 * Startup is judged on the median of `startupMs` (spawn -> ready marker,
 * the single definition in docs/ARCHITECTURE.md) in the `startup` scenario.
 *   "VERY fast start": <= 100 ms is confirmed: the time scale of starting
 *     an ordinary process tree (a fork+exec is ~1 ms; a shell ~5 ms) rather
 *     than of booting anything. 100-500 ms is nuanced (fast, but well above
 *     process scale); above 500 ms refuted.
 *   "relatively fast to start" (VM): <= 3 s confirmed: an order of magnitude
 *     under a distribution VM's 10-30 s boot. 3-10 s nuanced; above 10 s refuted.
 *
 * Execution speed is judged on the 95% CI of the ratio env/host of each
 * scenario's primary metric (bootstrap, docs/ARCHITECTURE.md), against an equivalence
 * margin, in log-symmetric form [1/(1+m), 1+m]:
 *   "the SAME as the host's": m = 5% — the CI lies inside  -> confirmed,
 *     entirely outside -> refuted, straddles an edge -> nuanced.
 *   "CLOSE to the host's": m = 20% — same rule.
 * Per-scenario verdicts are combined: all confirmed -> confirmed, all
 * refuted -> refuted, anything else -> nuanced (with the per-scenario list).
 */
export const SPEED_THRESHOLDS = {
  veryFastStartMs: { confirmed: 100, nuanced: 500 },
  relativelyFastStartMs: { confirmed: 3000, nuanced: 10000 },
  sameMargin: 0.05,
  closeMargin: 0.2,
} as const;

export type Band = 'inside' | 'outside' | 'straddles';

/** Where a CI [lo, hi] lies relative to the band [1/(1+m), 1+m]. */
export function ciAgainstMargin(lo: number, hi: number, margin: number): Band {
  const bandLo = 1 / (1 + margin);
  const bandHi = 1 + margin;
  if (lo >= bandLo && hi <= bandHi) return 'inside';
  if (hi < bandLo || lo > bandHi) return 'outside';
  return 'straddles';
}

export function bandText(margin: number): string {
  return `[${(1 / (1 + margin)).toFixed(3)}, ${(1 + margin).toFixed(3)}] (±${Math.round(margin * 100)}%)`;
}

/**
 * The speed words the seed's claims apply to each environment (the catalogue's
 * judgeStartup / judgeExecSpeed entries): the sequential sampler must clear
 * exactly these thresholds before it may stop. Environments the seed says
 * nothing about (runc, bwrap peers) and a VM under TCG (its speed claims are
 * not judged) only have to reach the precision target.
 */
const CLAIMED_SPEED: Record<string, { start: 'very-fast' | 'relatively-fast'; exec: 'same' | 'close' }> = {
  container: { start: 'very-fast', exec: 'same' },
  chroot: { start: 'very-fast', exec: 'same' },
  vm: { start: 'relatively-fast', exec: 'close' },
};

export interface StoppingThresholds {
  /** Band edges on the ratio env/host (log-symmetric, so valid for either orientation of the metric). */
  ratio: number[];
  /** Bounds on the environment's own startup median, ms. */
  absoluteMs: number[];
}

export function stoppingThresholds(env: string, startupScenario: boolean, accelerator?: 'kvm' | 'tcg'): StoppingThresholds {
  const claimed = CLAIMED_SPEED[env];
  if (!claimed || (env === 'vm' && accelerator === 'tcg')) return { ratio: [], absoluteMs: [] };
  if (startupScenario) {
    const t = claimed.start === 'very-fast' ? SPEED_THRESHOLDS.veryFastStartMs : SPEED_THRESHOLDS.relativelyFastStartMs;
    return { ratio: [], absoluteMs: [t.confirmed, t.nuanced] };
  }
  const m = claimed.exec === 'same' ? SPEED_THRESHOLDS.sameMargin : SPEED_THRESHOLDS.closeMargin;
  return { ratio: [1 / (1 + m), 1 + m], absoluteMs: [] };
}
