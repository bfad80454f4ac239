/**
 * Welch's unequal-variance t interval for two independent samples, for the
 * difference of means and (on the log scale, delta method) for their ratio.
 * Complements the bootstrap for `bench compare`, where two runs may have
 * different noise levels. Needs at least 2 values per group.
 *
 * Ratio: R = mean(next)/mean(base). Var(ln mean) ~ s^2 / (n mean^2) (delta
 * method), so se(ln R) = sqrt(s_b^2/(n_b m_b^2) + s_n^2/(n_n m_n^2)), the
 * degrees of freedom follow Welch–Satterthwaite on those two terms, and the
 * interval is R * exp(±t se). It is asymmetric around R and never negative;
 * it is only defined when both means are > 0.
 */
import { StatsInputError, assertSample } from './errors.js';
import { studentTQuantile } from './student-t.js';

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
}

export interface WelchEstimate {
  confidence: number;
  method: 'welch';
  nBase: number;
  nNext: number;
  meanBase: number;
  meanNext: number;
  /** mean(next) - mean(base). */
  diff: Interval & { df: number; se: number };
  /** mean(next) / mean(base); absent when a mean is <= 0. */
  ratio?: Interval & { df: number; seLog: number };
}

function moments(xs: readonly number[]): { n: number; m: number; v: number } {
  const n = xs.length;
  let m = 0;
  for (const x of xs) m += x;
  m /= n;
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return { n, m, v: ss / (n - 1) };
}

/**
 * Welch–Satterthwaite degrees of freedom of a sum of independent variance
 * terms (each a squared standard error from n values, n - 1 df of its own);
 * undefined when every term is 0, where any quantile gives a point interval.
 */
export function satterthwaiteDf(terms: readonly { variance: number; n: number }[]): number | undefined {
  let sum = 0;
  let denom = 0;
  for (const t of terms) {
    sum += t.variance;
    denom += (t.variance * t.variance) / Math.max(1, t.n - 1);
  }
  return denom > 0 ? (sum * sum) / denom : undefined;
}

/** The df of Welch's two terms; when both are 0 the interval is a point anyway. */
function satterthwaite(ta: number, na: number, tb: number, nb: number): number {
  return satterthwaiteDf([{ variance: ta, n: na }, { variance: tb, n: nb }]) ?? na + nb - 2;
}

export function welchCI(base: readonly number[], next: readonly number[], opts: { confidence?: number } = {}): WelchEstimate {
  assertSample(base, 'welchCI (base)');
  assertSample(next, 'welchCI (next)');
  const confidence = opts.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new StatsInputError(`confidence must be in (0, 1), got ${confidence}`);
  if (base.length < 2 || next.length < 2) {
    throw new StatsInputError(`welchCI needs at least 2 values per group (got ${base.length} and ${next.length}); use the bootstrap for single runs`);
  }
  const a = moments(base);
  const b = moments(next);
  const q = 1 - (1 - confidence) / 2;

  const ta = a.v / a.n;
  const tb = b.v / b.n;
  const se = Math.sqrt(ta + tb);
  const df = satterthwaite(ta, a.n, tb, b.n);
  const tq = se > 0 ? studentTQuantile(q, df) : 0;
  const d = b.m - a.m;
  const result: WelchEstimate = {
    confidence,
    method: 'welch',
    nBase: a.n,
    nNext: b.n,
    meanBase: a.m,
    meanNext: b.m,
    diff: { estimate: d, lo: d - tq * se, hi: d + tq * se, df, se },
  };
  if (a.m > 0 && b.m > 0) {
    const la = a.v / (a.n * a.m * a.m);
    const lb = b.v / (b.n * b.m * b.m);
    const seLog = Math.sqrt(la + lb);
    const dfLog = satterthwaite(la, a.n, lb, b.n);
    const tl = seLog > 0 ? studentTQuantile(q, dfLog) : 0;
    const r = b.m / a.m;
    result.ratio = { estimate: r, lo: r * Math.exp(-tl * seLog), hi: r * Math.exp(tl * seLog), df: dfLog, seLog };
  }
  return result;
}
