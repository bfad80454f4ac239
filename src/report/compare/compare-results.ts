/**
 * `bench compare`: per scenario × environment, how the primary metric moved
 * from a base run to a new run (new/base with a 95% CI from src/stats'
 * compareRuns), and whether that is a regression beyond the threshold.
 *
 * Baseline: by default a non-host environment is compared on its ratio to the
 * host of the same round, of their medians (rounds interleave environments, so machine-wide
 * load hits both alike and cancels out). On the shared 2-core dev host, raw
 * medians of back-to-back runs of one build drifted up to 4x with load; the
 * per-round ratios drifted at most 6% back-to-back (see README "Reports").
 * The host row itself is then shown raw as information about the machine
 * ("baseline"), not judged. `baseline: 'none'` compares raw values everywhere.
 *
 * Direction: everything is judged on the "slowdown" factor — new/base for a
 * lower-is-better metric (ms), base/new for a higher-is-better one (events/s)
 * — so a 2× slowdown is 2 either way. Regression: the whole CI of the
 * slowdown lies above 1 + threshold. Improvement: the whole CI lies below
 * 1 / (1 + threshold) (symmetric on the log scale).
 */
import type { EnvResult, RunResults } from '../../results/types.js';
import { compareRuns, median } from '../../stats/index.js';
import { envLabel, metricValues } from '../model/access.js';
import { DEFAULT_THRESHOLD } from './threshold.js';

export type CompareStatus = 'baseline' | 'regression' | 'improvement' | 'within-threshold' | 'unchanged' | 'failed' | 'fixed' | 'skipped' | 'missing' | 'incomparable';

export interface CompareRow {
  scenario: string;
  env: string;
  /** Env label as reports print it ("vm (TCG, emulated)"). */
  label: string;
  metric: string;
  unit: string;
  higherIsBetter: boolean;
  status: CompareStatus;
  baseMedian?: number;
  newMedian?: number;
  nBase?: number;
  nNew?: number;
  /** new / base of the statistic, and its CI. */
  ratio?: number;
  lo?: number;
  hi?: number;
  /** Slowdown factor (> 1 = worse) and its CI. */
  slowdown?: number;
  slowLo?: number;
  slowHi?: number;
  /** True when the figures compared are per-round ratios to the host. */
  normalized?: boolean;
  /** Medians of the per-round ratios to the host (the figures actually compared when normalized). */
  baseNormMedian?: number;
  newNormMedian?: number;
  /** Fewer than MIN_COMPARE_SAMPLES samples on either side: the CI is fragile. */
  fewSamples?: boolean;
  note?: string;
}

export interface CompareOptions {
  /** Fraction, e.g. 0.1 for 10%. Default DEFAULT_THRESHOLD. */
  threshold?: number;
  /** 'bootstrap' (ratio of medians, default) or 'welch' (ratio of means). */
  method?: 'bootstrap' | 'welch';
  confidence?: number;
  /** 'host' (default): compare non-host environments on their per-round ratio to the host; 'none': raw values. */
  baseline?: 'host' | 'none';
}

export interface CompareReport {
  base: { runId: string; gitRevision: string; host: string };
  next: { runId: string; gitRevision: string; host: string };
  threshold: number;
  method: 'bootstrap' | 'welch';
  confidence: number;
  baseline: 'host' | 'none';
  rows: CompareRow[];
  /** Differences between the two runs a reader must know (other host, other image). */
  notes: string[];
  regressions: number;
}

/** Below this many samples per side a comparison is flagged: a bootstrap CI of a median on fewer is too narrow to trust. */
export const MIN_COMPARE_SAMPLES = 10;

/** Statuses that fail `--fail-on-regression`. A newly failing environment is a regression of the build too. */
export const FAILING: ReadonlySet<CompareStatus> = new Set(['regression', 'failed']);

/**
 * median(env) / median(host) within each round, for every round both have. A
 * round can hold a batch of runs of a cheap environment (the scheduler gives
 * each about equal time): one ratio per round, of its medians.
 */
function perRoundRatios(env: EnvResult | undefined, host: EnvResult | undefined, metric: string): number[] | undefined {
  if (env?.status !== 'ok' || host?.status !== 'ok') return undefined;
  const byRound = (e: typeof env): Map<number, number[]> => {
    const m = new Map<number, number[]>();
    for (const s of e.samples) {
      const v = metricValues([s], metric)[0];
      if (v === undefined || v === 0) continue;
      const vs = m.get(s.round);
      if (vs) vs.push(v);
      else m.set(s.round, [v]);
    }
    return m;
  };
  const hosts = byRound(host);
  const out: number[] = [];
  for (const [round, vs] of byRound(env)) {
    const h = hosts.get(round);
    if (h) out.push(median(vs) / median(h));
  }
  return out.length ? out : undefined;
}

function medianOf(e: EnvResult, metric: string): number | undefined {
  return e.status === 'ok' ? e.stats[metric]?.median : undefined;
}

export function compareResults(base: RunResults, next: RunResults, opts: CompareOptions = {}): CompareReport {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const method = opts.method ?? 'bootstrap';
  const confidence = opts.confidence ?? 0.95;
  const baseline = opts.baseline ?? 'host';
  const rows: CompareRow[] = [];
  const notes: string[] = [];
  if (base.manifest.hostname !== next.manifest.hostname || base.manifest.cpu.model !== next.manifest.cpu.model) {
    notes.push(`The runs come from different hosts (${base.manifest.hostname}, ${base.manifest.cpu.model} → ${next.manifest.hostname}, ${next.manifest.cpu.model}): changes may be the machine, not the build.`);
  }
  if (base.image?.digest && next.image?.digest && base.image.digest !== next.image.digest) {
    notes.push(`The workload image differs (${base.image.digest.slice(0, 19)} → ${next.image.digest.slice(0, 19)}).`);
  }
  const scenarioNames = [...new Set([...base.scenarios.map((s) => s.name), ...next.scenarios.map((s) => s.name)])];
  for (const name of scenarioNames) {
    const sb = base.scenarios.find((s) => s.name === name);
    const sn = next.scenarios.find((s) => s.name === name);
    const spec = (sn ?? sb)!.primaryMetric;
    const envs = [...new Set([...(sb?.envs ?? []).map((e) => e.env), ...(sn?.envs ?? []).map((e) => e.env)])];
    for (const env of envs) {
      const row: CompareRow = { scenario: name, env, label: envLabel(next, env), metric: spec.name, unit: spec.unit, higherIsBetter: spec.higherIsBetter, status: 'unchanged' };
      const eb = sb?.envs.find((e) => e.env === env);
      const en = sn?.envs.find((e) => e.env === env);
      if (eb) { const m = medianOf(eb, spec.name); if (m !== undefined) row.baseMedian = m; }
      if (en) { const m = medianOf(en, spec.name); if (m !== undefined) row.newMedian = m; }
      if (!eb || !en) { rows.push({ ...row, status: 'missing', note: `only in the ${eb ? 'base' : 'new'} run` }); continue; }
      if (eb.status === 'skipped' || en.status === 'skipped') {
        const both = en.status === 'skipped' && eb.status === 'skipped';
        const why = en.status === 'skipped' ? en.reason : eb.status === 'skipped' ? eb.reason : '';
        rows.push({ ...row, status: 'skipped', note: both ? 'skipped in both runs' : `skipped in the ${en.status === 'skipped' ? 'new' : 'base'} run: ${why}` });
        continue;
      }
      if (en.status === 'failed') {
        rows.push({ ...row, status: eb.status === 'failed' ? 'skipped' : 'failed', note: eb.status === 'failed' ? 'failed in both runs' : `failed in the new run: ${en.error.message}` });
        continue;
      }
      if (eb.status === 'failed') { rows.push({ ...row, status: 'fixed', note: `failed in the base run: ${eb.error.message}` }); continue; }
      if (sb && sb.primaryMetric.name !== spec.name) { rows.push({ ...row, status: 'incomparable', note: `primary metric changed (${sb.primaryMetric.name} → ${spec.name})` }); continue; }
      // Same name, other method (e.g. sysbench's whole-run rate → the probe's median slice rate): the figures do not compare.
      if (sb && sn && sb.workload.type !== sn.workload.type) { rows.push({ ...row, status: 'incomparable', note: `workload changed (${sb.workload.type} → ${sn.workload.type})` }); continue; }
      // Only when both runs recorded a description: an older results file without one is not a redefinition.
      const was = sb?.primaryMetric.description;
      if (was !== undefined && spec.description !== undefined && was !== spec.description) {
        rows.push({ ...row, status: 'incomparable', note: `the primary metric's definition changed ("${was}" → "${spec.description}")` });
        continue;
      }
      if ((eb.accelerator ?? 'none') !== (en.accelerator ?? 'none')) {
        rows.push({ ...row, status: 'incomparable', note: `accelerator changed (${eb.accelerator ?? 'none'} → ${en.accelerator ?? 'none'}): an emulated and a hardware-accelerated VM are not compared` });
        continue;
      }
      let vb = metricValues(eb.samples, spec.name);
      let vn = metricValues(en.samples, spec.name);
      if (baseline === 'host' && env !== 'host') {
        const rb = perRoundRatios(eb, sb?.envs.find((e) => e.env === 'host'), spec.name);
        const rn = perRoundRatios(en, sn?.envs.find((e) => e.env === 'host'), spec.name);
        if (rb && rn) { vb = rb; vn = rn; row.normalized = true; row.baseNormMedian = median(rb); row.newNormMedian = median(rn); }
        else row.note = 'no host baseline in both runs: raw values compared';
      }
      if (vb.length === 0 || vn.length === 0 || (method === 'welch' && (vb.length < 2 || vn.length < 2))) {
        rows.push({ ...row, status: 'incomparable', note: `too few samples (${vb.length} base, ${vn.length} new)` });
        continue;
      }
      let c;
      try {
        c = compareRuns(vb, vn, { method, confidence, higherIsBetter: spec.higherIsBetter });
      } catch (err) {
        rows.push({ ...row, status: 'incomparable', note: (err as Error).message });
        continue;
      }
      row.nBase = c.nBase; row.nNew = c.nNext; row.ratio = c.ratio; row.lo = c.lo; row.hi = c.hi;
      if (c.nBase < MIN_COMPARE_SAMPLES || c.nNext < MIN_COMPARE_SAMPLES) row.fewSamples = true;
      if (spec.higherIsBetter) { row.slowdown = 1 / c.ratio; row.slowLo = 1 / c.hi; row.slowHi = 1 / c.lo; }
      else { row.slowdown = c.ratio; row.slowLo = c.lo; row.slowHi = c.hi; }
      if (baseline === 'host' && env === 'host') {
        row.status = 'baseline';
        const pct = Math.round(Math.abs(row.slowdown! - 1) * 100);
        if (row.slowLo! > 1 + threshold || row.slowHi! < 1 / (1 + threshold)) {
          row.note = `the machine itself ran ${pct}% ${row.slowdown! > 1 ? 'slower' : 'faster'} (load or host differ between the runs); the other rows are per-round ratios to it, so this is corrected for`;
        }
      } else if (row.slowLo! > 1 + threshold) row.status = 'regression';
      else if (row.slowHi! < 1 / (1 + threshold)) row.status = 'improvement';
      else if (c.change !== 'none') row.status = 'within-threshold';
      else row.status = 'unchanged';
      rows.push(row);
    }
  }
  const few = rows.filter((r) => r.fewSamples);
  if (few.length) {
    notes.push(`${few.length} row(s) have fewer than ${MIN_COMPARE_SAMPLES} samples on a side (marked ⚠ n): their intervals are too narrow to trust; rerun with more rounds (or the default sequential sampling).`);
  }
  return {
    base: { runId: base.runId, gitRevision: base.tool.gitRevision, host: base.manifest.hostname },
    next: { runId: next.runId, gitRevision: next.tool.gitRevision, host: next.manifest.hostname },
    threshold, method, confidence, baseline, rows, notes,
    regressions: rows.filter((r) => FAILING.has(r.status)).length,
  };
}
