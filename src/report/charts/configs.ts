/**
 * Chart configurations as plain JSON (no functions), so the HTML report can
 * embed them and the PNG renderer can use the very same objects; the runtime
 * (runtime.ts) adds plugins and callbacks to both.
 */
import type { RunResults } from '../../results/types.js';
import { fmtCI, fmtMs, fmtNum } from '../model/format.js';
import { speedTable, speedScenarios, comparedEnvs, type SpeedCell } from '../model/speed.js';
import { startupView, type StartupView } from '../model/startup.js';
import { envLabel } from '../model/access.js';
import { envColor, withAlpha } from './palette.js';

/** A chart.js configuration restricted to JSON values. */
export interface ChartSpec {
  id: string;
  title: string;
  /** One line under the chart saying what is plotted and how to read it. */
  caption: string;
  config: { type: string; data: Record<string, unknown>; options: Record<string, unknown> }; // chart.js's own open-ended config, not a results shape
}

/** Deterministic horizontal spread of strip-plot points (golden-ratio sequence) so PNGs are reproducible. */
function jitter(i: number): number {
  const f = (i * 0.6180339887) % 1;
  return (f - 0.5) * 0.5;
}

export function startupChart(r: RunResults, view: StartupView | undefined = startupView(r)): ChartSpec | undefined {
  if (!view) return undefined;
  const shown = view.series.filter((s) => s.values.length > 0);
  if (shown.length === 0) return undefined;
  const everything = shown.flatMap((s) => s.values).filter((v) => v > 0);
  const lo = Math.min(...everything);
  const hi = Math.max(...everything);
  const categories = shown.map((s) => [s.label, `n=${s.values.length}${s.stats ? ` · median ${fmtMs(s.stats.median)}` : ''}`]);
  const datasets = shown.map((s, idx) => {
    const color = envColor(s.env, idx);
    return {
      label: s.label,
      data: s.values.map((v, i) => ({ x: idx + jitter(i), y: v })),
      tooltipText: s.values.map((v, i) => `${s.label}: ${fmtMs(v)} (sample ${i + 1} of ${s.values.length})`),
      backgroundColor: withAlpha(color, 0.75),
      borderColor: color,
      pointRadius: 3.5,
      pointHoverRadius: 5,
    };
  });
  const boxes = shown.map((s, idx) => (s.stats && s.q1 !== undefined && s.q3 !== undefined
    ? { x: idx, q1: s.q1, q3: s.q3, median: s.stats.median, fill: withAlpha(envColor(s.env, idx), 0.12), stroke: envColor(s.env, idx) }
    : null));
  return {
    id: 'startup',
    title: `Startup latency per environment (${view.scenario.name})`,
    caption: `Every sample from spawn to the ready marker; box = interquartile range, thick line = median.${view.logScale ? ' Logarithmic axis: the slowest environment is orders of magnitude slower.' : ''}`,
    config: {
      type: 'scatter',
      data: { datasets },
      options: {
        isobench: { categories, valueSuffix: ' ms' },
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', min: -0.5, max: shown.length - 0.5, grid: { display: false }, ticks: { stepSize: 1, autoSkip: false, maxRotation: 30, font: { size: 12 } } },
          // Headroom so the extreme points and boxes are not cut by the plot edge.
          y: { type: view.logScale ? 'logarithmic' : 'linear', title: { display: true, text: `startup, ms${view.logScale ? ' (log scale)' : ''}` }, ticks: {},
            ...(view.logScale ? { suggestedMin: lo / 1.6, suggestedMax: hi * 1.6 } : { beginAtZero: true, suggestedMax: hi * 1.08 }) },
        },
        plugins: {
          legend: { display: false },
          isobenchBoxes: { boxes },
        },
      },
    },
  };
}

function tooltip(c: SpeedCell): string {
  if (c.speed === undefined) return `${c.label}: ${c.missing ?? 'no figure'}`;
  if (c.notComparable) return `${c.label}: not comparable (${fmtNum(c.speed)}× not drawn): ${c.notComparable}`;
  const ci = c.lo !== undefined && c.hi !== undefined ? ` ${fmtCI(c.lo, c.hi)}` : '';
  return `${c.label}: ${fmtNum(c.speed)}× host speed${ci} (${Math.round((c.confidence ?? 0.95) * 100)}% CI), n=${c.n ?? '?'} vs host n=${c.nHost ?? '?'}`;
}

export function speedChart(r: RunResults): ChartSpec | undefined {
  const scenarios = speedScenarios(r);
  const table = speedTable(r);
  const envs = comparedEnvs(r);
  if (scenarios.length === 0 || envs.length === 0) return undefined;
  const datasets = envs.map((env, ei) => {
    const cells = table.map((row) => row[ei] as SpeedCell);
    const color = envColor(env, ei);
    return {
      label: envLabel(r, env),
      // A cell its scenario marks not comparable gets no bar (its tooltip says why).
      data: cells.map((c) => (c.notComparable ? null : c.speed ?? null)),
      errorBars: cells.map((c) => (!c.notComparable && c.lo !== undefined && c.hi !== undefined ? { lo: c.lo, hi: c.hi } : null)),
      tooltipText: cells.map(tooltip),
      backgroundColor: withAlpha(color, 0.7),
      borderColor: color,
      borderWidth: 1,
    };
  }).filter((d) => d.data.some((v) => v !== null));
  if (datasets.length === 0) return undefined;
  const all = table.flat().filter((c) => !c.notComparable).flatMap((c) => [c.speed, c.lo, c.hi]).filter((x): x is number => x !== undefined && x > 0 && Number.isFinite(x));
  const log = all.length > 0 && Math.max(...all, 1) / Math.min(...all, 1) >= 10;
  // Make room for the whiskers: chart.js scales to the bars only, and a clipped CI would hide how wide it is.
  const range = all.length ? { suggestedMin: log ? Math.min(...all) * 0.8 : 0, suggestedMax: Math.max(...all) * (log ? 1.25 : 1.05) } : {};
  return {
    id: 'speed',
    title: 'Execution speed relative to the host',
    caption: `Primary metric of each scenario as a ratio of medians to the host, oriented so 1 = host speed and lower = slower; whiskers = 95% bootstrap CI.${log ? ' Logarithmic axis.' : ''}`,
    config: {
      type: 'bar',
      data: { labels: scenarios.map((s) => [s.name, `(${s.primaryMetric.name})`]), datasets },
      options: {
        isobench: { valueSuffix: '×' },
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { grid: { display: false }, ticks: { font: { size: 12 } } },
          y: log
            ? { type: 'logarithmic', ...range, title: { display: true, text: 'speed / host speed (log scale)' }, ticks: {} }
            : { type: 'linear', beginAtZero: true, ...range, title: { display: true, text: 'speed / host speed' }, ticks: {} },
        },
        plugins: {
          legend: { position: 'bottom' },
          isobenchRefLine: { value: 1, label: 'host = 1', color: '#5f6b7a' },
        },
      },
    },
  };
}

export function allCharts(r: RunResults): ChartSpec[] {
  return [startupChart(r), speedChart(r)].filter((c): c is ChartSpec => c !== undefined);
}
