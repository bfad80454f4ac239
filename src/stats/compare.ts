/**
 * `bench compare`: how a metric moved between two runs (new / base), with a
 * confidence interval, and whether that interval excludes "no change" (1).
 * Default is the bootstrap ratio of medians — the statistic every report
 * prints; Welch's ratio of means is available when the caller wants a
 * parametric interval (needs >= 2 values per run).
 */
import { StatsInputError } from './errors.js';
import { ratioCI, type BootstrapOptions } from './bootstrap.js';
import { welchCI } from './welch.js';

export interface CompareOptions extends BootstrapOptions {
  /** 'bootstrap' (ratio of medians, default) or 'welch' (ratio of means). */
  method?: 'bootstrap' | 'welch';
  /** When given, the result also says whether the change is better or worse. */
  higherIsBetter?: boolean;
}

export interface Comparison {
  /** next / base of the chosen statistic. */
  ratio: number;
  lo: number;
  hi: number;
  confidence: number;
  method: 'bootstrap-percentile' | 'welch-log-ratio';
  statistic: 'median' | 'mean';
  nBase: number;
  nNext: number;
  /** 'none' when the CI contains 1: the data do not show a change. */
  change: 'increase' | 'decrease' | 'none';
  /** Only when opts.higherIsBetter was given. */
  verdict?: 'better' | 'worse' | 'same';
}

export function compareRuns(base: readonly number[], next: readonly number[], opts: CompareOptions = {}): Comparison {
  const method = opts.method ?? 'bootstrap';
  let core: Pick<Comparison, 'ratio' | 'lo' | 'hi' | 'confidence' | 'method' | 'statistic'>;
  if (method === 'bootstrap') {
    const r = ratioCI(next, base, opts);
    core = { ratio: r.ratio, lo: r.lo, hi: r.hi, confidence: r.confidence, method: 'bootstrap-percentile', statistic: 'median' };
  } else {
    const w = welchCI(base, next, opts.confidence === undefined ? {} : { confidence: opts.confidence });
    if (!w.ratio) throw new StatsInputError('compareRuns (welch): a ratio of means needs both means > 0');
    core = { ratio: w.ratio.estimate, lo: w.ratio.lo, hi: w.ratio.hi, confidence: w.confidence, method: 'welch-log-ratio', statistic: 'mean' };
  }
  const change: Comparison['change'] = core.lo > 1 ? 'increase' : core.hi < 1 ? 'decrease' : 'none';
  const result: Comparison = { ...core, nBase: base.length, nNext: next.length, change };
  if (opts.higherIsBetter !== undefined) {
    result.verdict = change === 'none' ? 'same' : (change === 'increase') === opts.higherIsBetter ? 'better' : 'worse';
  }
  return result;
}
