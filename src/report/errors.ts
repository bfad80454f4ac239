import { BenchError } from '../core/errors.js';

/** results.json is missing, not JSON, not isobench's, or from another schema version. */
export class ResultsFileError extends BenchError {}
/** A report could not be written (chart rendering, output folder). */
export class ReportError extends BenchError {}
