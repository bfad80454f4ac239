/**
 * PNG charts for the Markdown report, drawn by chartjs-node-canvas with the
 * same configs and runtime as the HTML report.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ReportError } from '../errors.js';
import { CHART_RUNTIME_JS } from './runtime.js';
import { chartHeight, type ChartSpec } from './configs.js';

interface Runtime { hydrate(cfg: unknown, env?: { width: number }): unknown } // the browser chart runtime, evaluated from a string: untyped by nature

let runtime: Runtime | undefined;
function chartRuntime(): Runtime {
  // The runtime is trusted source from this package (runtime.ts), evaluated once.
  runtime ??= new Function(`${CHART_RUNTIME_JS}\nreturn isobenchChartRuntime();`)() as Runtime;
  return runtime;
}

export const PNG_SIZE = { width: 960, height: 480 };

/** Renders each chart to <outDir>/charts/<id>.png; returns the paths written. */
export async function renderPngCharts(charts: readonly ChartSpec[], outDir: string): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  if (charts.length === 0) return written;
  let ChartJSNodeCanvas: typeof import('chartjs-node-canvas').ChartJSNodeCanvas;
  try {
    ({ ChartJSNodeCanvas } = await import('chartjs-node-canvas'));
  } catch (err) {
    throw new ReportError('REPORT_CANVAS', `cannot load chartjs-node-canvas (the native canvas module): ${(err as Error).message}`, {
      cause: err,
      hint: 'run scripts/setup (it installs the canvas build libraries and rebuilds node_modules)',
    });
  }
  const canvases = new Map<number, InstanceType<typeof ChartJSNodeCanvas>>();
  const canvasFor = (height: number): InstanceType<typeof ChartJSNodeCanvas> => {
    let c = canvases.get(height);
    if (!c) { c = new ChartJSNodeCanvas({ width: PNG_SIZE.width, height, backgroundColour: 'white' }); canvases.set(height, c); }
    return c;
  };
  const dir = path.join(outDir, 'charts');
  await mkdir(dir, { recursive: true });
  for (const chart of charts) {
    const cfg = structuredClone(chart.config) as { options: Record<string, unknown> }; // chart.js config (see configs.ts)
    cfg.options.responsive = false;
    const plugins = (cfg.options.plugins ??= {}) as Record<string, unknown>; // chart.js plugin options
    plugins.title = { display: true, text: chart.title, font: { size: 16 } };
    const hydrated = chartRuntime().hydrate(cfg, { width: PNG_SIZE.width });
    const canvas = canvasFor(chartHeight(chart, PNG_SIZE.height) + 30);
    const buf = await canvas.renderToBuffer(hydrated as Parameters<typeof canvas.renderToBuffer>[0], 'image/png');
    const file = path.join(dir, `${chart.id}.png`);
    await writeFile(file, buf);
    written.set(chart.id, file);
  }
  return written;
}
