export { compareResults, FAILING, type CompareOptions, type CompareReport, type CompareRow, type CompareStatus } from './compare-results.js';
export { compareMarkdown, effect } from './compare-markdown.js';
export { parseThreshold, DEFAULT_THRESHOLD } from './threshold.js';
