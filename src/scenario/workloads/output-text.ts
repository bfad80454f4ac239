/**
 * Text helpers shared by the parsers. Output may come from a serial console
 * (VM) with CRLF line ends and interleaved kernel lines, so parsers look for
 * anchored patterns anywhere in the text rather than at fixed line numbers.
 */
import { WorkloadOutputError } from '../errors.js';

export function normalizeOutput(output: string): string {
  return output.replace(/\r/g, '');
}

/** First capture group of `re` as a finite number, or a WorkloadOutputError naming `what`. */
export function requireNumber(workload: string, output: string, re: RegExp, what: string): number {
  const m = re.exec(normalizeOutput(output));
  const v = m?.[1] === undefined ? Number.NaN : Number(m[1]);
  if (!Number.isFinite(v)) throw new WorkloadOutputError(workload, what, output);
  return v;
}
