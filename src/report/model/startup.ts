/** Startup latency per environment: every sample (for the strip plot) plus the summary the tables print. */
import type { RunResults, ScenarioResult, SummaryStats } from '../../results/types.js';
import { quantileSorted } from '../../stats/index.js';
import { envLabel, envOrder, envResult, metricValues, startupScenario } from './access.js';

export interface StartupSeries {
  env: string;
  label: string;
  values: number[];
  stats?: SummaryStats;
  q1?: number;
  q3?: number;
  commandLine?: string[];
  imageDigest?: string;
  accelerator?: 'kvm' | 'tcg';
  missing?: string;
}

export interface StartupView {
  scenario: ScenarioResult;
  series: StartupSeries[];
  /** True when the slowest median is this many times the fastest: a linear axis would flatten everything else. */
  logScale: boolean;
}

/** Spread beyond which the startup axis turns logarithmic (VM seconds vs host milliseconds). */
export const LOG_AXIS_SPREAD = 20;

export function startupView(r: RunResults): StartupView | undefined {
  const s = startupScenario(r);
  if (!s) return undefined;
  const series: StartupSeries[] = envOrder(r).map((env) => {
    const e = envResult(s, env);
    const base = { env, label: envLabel(r, env), values: [] as number[] };
    if (!e) return { ...base, missing: 'not in this scenario' };
    if (e.status === 'skipped') return { ...base, missing: `skipped: ${e.reason}` };
    if (e.status === 'failed') return { ...base, values: metricValues(e.samples, 'startupMs'), commandLine: e.commandLine, missing: `failed: ${e.error.message}` };
    const values = metricValues(e.samples, 'startupMs');
    const sorted = Float64Array.from(values).sort();
    const out: StartupSeries = { ...base, values, stats: e.stats.startupMs, commandLine: e.commandLine, imageDigest: e.imageDigest };
    if (values.length) { out.q1 = quantileSorted(sorted, 0.25); out.q3 = quantileSorted(sorted, 0.75); }
    if (e.accelerator) out.accelerator = e.accelerator;
    return out;
  });
  const medians = series.map((x) => x.stats?.median).filter((m): m is number => m !== undefined && m > 0);
  const logScale = medians.length > 1 && Math.max(...medians) / Math.min(...medians) >= LOG_AXIS_SPREAD;
  return { scenario: s, series, logScale };
}
