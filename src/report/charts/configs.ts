/**
 * Chart configurations as plain JSON (no functions), so the HTML report can
 * embed them and the PNG renderer can use the very same objects; the runtime
 * (runtime.ts) adds plugins and callbacks to both.
 */
import type { RunResults } from '../../results/types.js';
import { fmtCI, fmtLevel, fmtMs, fmtNum } from '../model/format.js';
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
  const categories = shown.map((s) => [s.label, `n=${s.values.length}${s.stats ? ` · ${fmtMs(s.stats.median)}` : ''}`]);
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
          x: { type: 'linear', min: -0.5, max: shown.length - 0.5, grid: { display: false }, ticks: { stepSize: 1, autoSkip: false, maxRotation: 90, font: { size: 12 } } },
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
  if (c.notComparable) return `${c.label} · ${c.scenario}: not comparable — ${c.notComparable}`;
  if (c.speed === undefined) return `${c.label} · ${c.scenario}: ${c.missing ?? 'no figure'}`;
  const ci = c.lo !== undefined && c.hi !== undefined ? ` ${fmtCI(c.lo, c.hi)}` : '';
  const rounds = c.stop && c.stop !== 'fixed' ? `; ${c.rounds} runs, stopped: ${c.stop}` : '';
  return `${c.label} · ${c.scenario}: ${fmtNum(c.speed)}× host speed${ci} (${fmtLevel(c.confidence ?? 0.95)} CI), n=${c.n ?? '?'} vs host n=${c.nHost ?? '?'}${rounds}`;
}

/** Short text drawn beside a marker that stands for a cell without a comparable figure. */
function markerLabel(c: SpeedCell): string {
  if (c.notComparable) return `${c.label}: not comparable`;
  const m = /^(skipped|failed)\b/.exec(c.missing ?? '');
  return `${c.label}: ${m ? m[1] : 'no figure'}`;
}

/** Pixels per environment row of the speed chart: one dot + whisker each, readable on a phone. */
export const SPEED_ROW_PX = 16;

/**
 * Speed relative to the host as a forest plot: one row per scenario ×
 * environment, a dot at the ratio to the host and a whisker for its interval,
 * on a logarithmic ratio axis (equal factors look equal: ×0.5 and ×2 sit
 * symmetric around the host's 1). A cell without a comparable figure
 * (skipped, failed, not comparable) is a hollow marker on the host line,
 * labelled, with its reason in the tooltip and in the table below.
 */
export function speedChart(r: RunResults): ChartSpec | undefined {
  const scenarios = speedScenarios(r);
  const table = speedTable(r);
  const envs = comparedEnvs(r);
  if (scenarios.length === 0 || envs.length === 0) return undefined;
  const k = envs.length;
  const step = 0.8 / k;
  const yOf = (si: number, ei: number): number => si + (ei - (k - 1) / 2) * step;
  const datasets: Record<string, unknown>[] = envs.map((env, ei) => { // chart.js datasets (plugin fields included), not a results shape
    const cells = table.map((row) => row[ei] as SpeedCell);
    const shown = cells.map((c, si) => ({ c, si })).filter(({ c }) => c.speed !== undefined && !c.notComparable);
    const color = envColor(env, ei);
    return {
      label: envLabel(r, env),
      data: shown.map(({ c, si }) => ({ x: c.speed, y: yOf(si, ei) })),
      errorBars: shown.map(({ c }) => (c.lo !== undefined && c.hi !== undefined ? { lo: c.lo, hi: c.hi } : null)),
      errorBarsAxis: 'x',
      tooltipText: shown.map(({ c }) => tooltip(c)),
      backgroundColor: color,
      borderColor: color,
      pointRadius: 4.5,
      pointHoverRadius: 6,
    };
  }).filter((d) => (d.data as unknown[]).length > 0); // the dataset built just above: data is an array
  const missing = table.flatMap((row, si) => row.map((c, ei) => ({ c, si, ei }))).filter(({ c }) => c.speed === undefined || c.notComparable);
  if (missing.length) {
    datasets.push({
      label: 'not comparable / skipped',
      data: missing.map(({ si, ei }) => ({ x: 1, y: yOf(si, ei) })),
      tooltipText: missing.map(({ c }) => tooltip(c)),
      pointLabels: missing.map(({ c }) => markerLabel(c)),
      pointStyle: 'crossRot',
      pointRadius: 6,
      pointHoverRadius: 7,
      borderWidth: 2,
      backgroundColor: '#5b6570',
      borderColor: '#5b6570',
    });
  }
  if (datasets.length === 0) return undefined;
  const all = table.flat().filter((c) => !c.notComparable).flatMap((c) => [c.speed, c.lo, c.hi]).filter((x): x is number => x !== undefined && x > 0 && Number.isFinite(x));
  const lo = Math.min(...all, 1);
  const hi = Math.max(...all, 1);
  return {
    id: 'speed',
    title: 'Execution speed relative to the host',
    caption: 'Dot = ratio to the host (of medians; under sequential sampling of 20% trimmed geometric means; paired cells slot by slot), oriented so 1 = host speed and lower = slower; whisker = its 95% interval (when sampling was sequential: the interval the stopping rule decided on, at the stricter per-look level that keeps 95% over all its looks). Logarithmic axis. × on the host line = no comparable figure (hover or see the table for why).',
    config: {
      type: 'scatter',
      data: { datasets },
      options: {
        isobench: { categories: scenarios.map((s) => s.name), categoriesAxis: 'y', valueSuffix: '×', valueAxis: 'x', heightPerCategory: k * SPEED_ROW_PX },
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { type: 'logarithmic', min: lo / 1.25, max: hi * 1.25, title: { display: true, text: 'speed / host speed (log scale)' }, ticks: { autoSkip: true, maxRotation: 0 } },
          y: { type: 'linear', min: -0.5, max: scenarios.length - 0.5, reverse: true, grid: { display: false }, ticks: { stepSize: 1, autoSkip: false, font: { size: 12 } } },
        },
        plugins: {
          legend: { position: 'bottom' },
          isobenchRefLine: { value: 1, label: 'host = 1', color: '#5f6b7a', axis: 'x' },
          isobenchPointLabels: {},
        },
      },
    },
  };
}

/** Height a chart needs, px: charts with a row per category grow with their rows; others use the default. */
export function chartHeight(chart: ChartSpec, fallback: number): number {
  const meta = (chart.config.options.isobench ?? {}) as { categories?: unknown[]; heightPerCategory?: number }; // our own option block inside chart.js's open config
  if (!meta.heightPerCategory || !meta.categories) return fallback;
  // Axis title, tick labels and a two-line legend take ~120 px.
  return Math.max(240, Math.round(meta.categories.length * meta.heightPerCategory + 120));
}

export function allCharts(r: RunResults): ChartSpec[] {
  return [startupChart(r), speedChart(r)].filter((c): c is ChartSpec => c !== undefined);
}
