export { startupChart, speedChart, allCharts, chartHeight, type ChartSpec } from './configs.js';
export { renderPngCharts, PNG_SIZE } from './png.js';
export { CHART_RUNTIME_JS } from './runtime.js';
export { envColor, withAlpha } from './palette.js';
