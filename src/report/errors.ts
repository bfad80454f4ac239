import { BenchError } from '../core/errors.js';

/** A report could not be written (chart rendering, output folder). */
export class ReportError extends BenchError {}
