/**
 * Did each ratio reach its precision target, and if not, what would it take?
 * A cell that stopped at the time budget says how many runs (and how much of
 * that environment's time) its spread suggests the target needs; the run as
 * a whole says about how much longer sampling would have to go on, as a
 * `--budget` to rerun with. Estimates, from one run's spread
 * (src/stats/precision-need.ts): they tell a reader whether the gap is a
 * minute or an hour, not a promise.
 */
import type { RunResults, ScenarioResult, StopReason } from '../../results/types.js';
import { extraTimeFor, runsForPrecision } from '../../stats/index.js';
import { envLabel } from './access.js';

export interface PrecisionCell {
  scenario: string;
  env: string;
  label: string;
  halfWidth: number;
  target: number;
  runs: number;
  spentMs: number;
  stop: StopReason;
  met: boolean;
  /** Its ratio came from runs paired with host companions: more of its runs need no more of the host's. */
  paired: boolean;
  /** Only when the target was not met: runs in all, and this environment's time for them (ms). */
  runsNeeded?: number;
  msNeeded?: number;
}

/** Below this many runs a spread says too little to extrapolate from (the three-run floor of a light scenario). */
export const MIN_RUNS_TO_ESTIMATE = 5;

export interface ScenarioPrecision {
  scenario: string;
  target: number;
  cells: PrecisionCell[];
  met: number;
  /** Cells that stopped (budget or --max-rounds) before their target. */
  short: PrecisionCell[];
  /** About how much more sampling the short cells with enough runs to estimate (and their host baseline) would need, ms. */
  extraMs: number;
  /** Short cells with fewer than MIN_RUNS_TO_ESTIMATE runs: no estimate. */
  unestimated: number;
  /**
   * When one cell needs more than all the others together (gVisor's syscall
   * under ptrace: hours, beside minutes): that cell, and what the scenario
   * would need without it, ms. A reader then sees that `--env` without it
   * is the cheap way to the rest.
   */
  dominant?: { cell: PrecisionCell; extraMsWithout: number };
}

export interface PrecisionView {
  scenarios: ScenarioPrecision[];
  cells: PrecisionCell[];
  /** Cells whose half-width is within target. */
  met: number;
  short: PrecisionCell[];
  /** Cells within target by the end that still stopped at the budget (an interval across a claim threshold, or no look after they got there). */
  straddling: PrecisionCell[];
  extraMs: number;
  /** The run's --budget, ms, when it had one. */
  budgetMs?: number;
}

const STOPPED_SHORT: ReadonlySet<StopReason> = new Set(['budget', 'max-rounds']);

function cellOf(r: RunResults, s: ScenarioResult, target: number, e: ScenarioResult['envs'][number]): PrecisionCell | undefined {
  if (e.env === 'host' || e.status !== 'ok' || !e.sampling || e.sampling.halfWidth === undefined || e.sampling.rounds < 1) return undefined;
  const { halfWidth, rounds, spentMs, stop } = e.sampling;
  const met = halfWidth <= target;
  const paired = e.ratioToHost?.[s.primaryMetric.name]?.method === 'paired-slots';
  const out: PrecisionCell = { scenario: s.name, env: e.env, label: envLabel(r, e.env), halfWidth, target, runs: rounds, spentMs, stop, met, paired };
  // An interval whose upper end overflowed (a median near zero) has no finite spread to extrapolate from.
  if (!met && rounds >= MIN_RUNS_TO_ESTIMATE && Number.isFinite(halfWidth)) {
    out.runsNeeded = runsForPrecision(rounds, halfWidth, target);
    out.msNeeded = spentMs + extraTimeFor(spentMs, halfWidth, target);
  }
  return out;
}

function scenarioPrecision(r: RunResults, s: ScenarioResult): ScenarioPrecision | undefined {
  const target = s.sampling?.mode === 'sequential' ? s.sampling.precision : undefined;
  if (target === undefined) return undefined;
  const cells = s.envs.map((e) => cellOf(r, s, target, e)).filter((c): c is PrecisionCell => c !== undefined);
  if (cells.length === 0) return undefined;
  const short = cells.filter((c) => !c.met && STOPPED_SHORT.has(c.stop));
  const estimated = short.filter((c) => c.msNeeded !== undefined);
  const host = s.envs.find((e) => e.env === 'host');
  const hostMs = host?.status === 'ok' && host.sampling ? host.sampling.spentMs : undefined;
  /**
   * More sampling for these cells: each one's own, and the host's, which is the baseline of every unpaired ratio and
   * must grow as much as the neediest unpaired one's (a paired cell's baseline is its own runs' companions).
   */
  const extraFor = (cs: readonly PrecisionCell[]): number => {
    const own = cs.reduce((t, c) => t + extraTimeFor(c.spentMs, c.halfWidth, target), 0);
    const unpaired = cs.filter((c) => !c.paired);
    return own + (hostMs === undefined || unpaired.length === 0 ? 0 : extraTimeFor(hostMs, Math.max(...unpaired.map((c) => c.halfWidth)), target));
  };
  const extraMs = extraFor(estimated);
  const out: ScenarioPrecision = { scenario: s.name, target, cells, met: cells.filter((c) => c.met).length, short, extraMs, unestimated: short.length - estimated.length };
  if (estimated.length > 1) {
    const top = estimated.reduce((a, b) => (extraFor([b]) > extraFor([a]) ? b : a));
    const extraMsWithout = extraFor(estimated.filter((c) => c !== top));
    if (extraMs > 2 * extraMsWithout) out.dominant = { cell: top, extraMsWithout };
  }
  return out;
}

/** Every sequentially sampled ratio of the run against its target; undefined for a run with fixed rounds. */
export function precisionView(r: RunResults): PrecisionView | undefined {
  const scenarios = r.scenarios.map((s) => scenarioPrecision(r, s)).filter((x): x is ScenarioPrecision => x !== undefined);
  if (scenarios.length === 0) return undefined;
  const cells = scenarios.flatMap((x) => x.cells);
  return {
    scenarios, cells, met: cells.filter((c) => c.met).length,
    short: scenarios.flatMap((x) => x.short),
    straddling: cells.filter((c) => c.met && STOPPED_SHORT.has(c.stop)),
    extraMs: scenarios.reduce((t, x) => t + x.extraMs, 0),
    ...(r.options.budgetMs !== undefined ? { budgetMs: r.options.budgetMs } : {}),
  };
}

/** "25 s", "4 min", "2.5 h": the size of a gap, not a stopwatch reading. */
export function fmtSpan(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  const min = s / 60;
  if (min < 90) return `${Math.round(min)} min`;
  return `${Number((min / 60).toPrecision(2))} h`;
}

function pct(x: number): string {
  return `±${Number((x * 100).toPrecision(2))}%`;
}

/** What one short cell would need, for its detail: "±9.1% after 5 runs; ±3% would take about 46 runs (~13 s of this environment)". */
export function needText(c: PrecisionCell): string | undefined {
  if (c.met) return undefined;
  if (c.runsNeeded === undefined || c.msNeeded === undefined) return `${pct(c.halfWidth)} after ${c.runs} runs: too few to estimate what ${pct(c.target)} would take`;
  return `${pct(c.halfWidth)} after ${c.runs} runs; ${pct(c.target)} would take about ${c.runsNeeded} runs (~${fmtSpan(c.msNeeded)} of this environment)`;
}

/** The whole run in a few sentences: how many ratios reached their target and what the rest would take, per scenario. */
export function precisionSentences(r: RunResults): string | undefined {
  const v = precisionView(r);
  if (!v) return undefined;
  const targets = [...new Set(v.cells.map((c) => c.target))].sort((a, b) => a - b).map(pct).join(' or ');
  const out = [`Precision: ${v.met} of ${v.cells.length} ratios reached their target (${targets}).`];
  const estimated = v.scenarios.filter((x) => x.short.length > x.unestimated);
  if (estimated.length > 0) {
    const parts = estimated.map((x) => `${x.scenario} ${x.met} of ${x.cells.length} within ${pct(x.target)}, about ${fmtSpan(x.extraMs)} more${x.unestimated > 0 ? ` for the ${x.short.length - x.unestimated} short with ${MIN_RUNS_TO_ESTIMATE}+ runs` : ''}${x.dominant ? ` (${fmtSpan(x.dominant.extraMsWithout)} without ${x.dominant.cell.label}, ${pct(x.dominant.cell.halfWidth)} after ${x.dominant.cell.runs} runs)` : ''}`);
    const budget = (extraMs: number): string => (v.budgetMs !== undefined ? ` (\`--budget ${Math.ceil((v.budgetMs + extraMs) / 60_000)}m\`)` : '');
    const without = v.scenarios.reduce((t, x) => t + (x.dominant?.extraMsWithout ?? x.extraMs), 0);
    const named = v.extraMs > 2 * without ? `; about ${fmtSpan(without)} without the cells named in brackets${budget(without)}` : '';
    out.push(`Short of it at the budget, from each ratio's spread: ${parts.join('; ')}; in all about ${fmtSpan(v.extraMs)} more sampling on this host${budget(v.extraMs)}${named}.`);
  }
  const floor = v.scenarios.filter((x) => x.unestimated > 0 && x.unestimated === x.short.length).map((x) => x.scenario);
  if (floor.length > 0) out.push(`${floor.join(', ')} stopped with fewer than ${MIN_RUNS_TO_ESTIMATE} runs per environment: too few to estimate.`);
  if (v.straddling.length > 0) out.push(`${v.straddling.length} reached the target by the end but stopped undecided: the interval still crossed a claim threshold, or no look came after it got there.`);
  return out.join(' ');
}
