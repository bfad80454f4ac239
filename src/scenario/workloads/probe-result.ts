/**
 * The one result-line format of every probe micro-workload (written by
 * src/native/probe/workloads.c, read here):
 *
 *   isobench.result <metric>=<value> <unit>
 *   e.g. "isobench.result forks_per_sec=1234.5 1/s"
 *
 * metric: [A-Za-z_][A-Za-z0-9_.]*; value: a decimal number (C printf %.1f or
 * %g); unit: one token without spaces. One line per metric, at a line start.
 */
import { WorkloadOutputError } from '../errors.js';
import { normalizeOutput } from './output-text.js';

export const PROBE_RESULT_PREFIX = 'isobench.result';

export interface ProbeResult {
  name: string;
  value: number;
  unit: string;
}

const LINE = /^isobench\.result[ \t]+([A-Za-z_][A-Za-z0-9_.]*)=(\S+)[ \t]+(\S+)[ \t]*$/;

export function formatProbeResult(r: ProbeResult): string {
  return `${PROBE_RESULT_PREFIX} ${r.name}=${r.value} ${r.unit}`;
}

/**
 * All well-formed result lines, in order. A line that starts with the prefix
 * but does not parse is an error, not silently skipped: it means the probe and
 * this parser disagree on the format.
 */
export function parseProbeResults(output: string, workload = 'probe'): ProbeResult[] {
  const out: ProbeResult[] = [];
  for (const raw of normalizeOutput(output).split('\n')) {
    const line = raw.trimStart();
    if (!line.startsWith(PROBE_RESULT_PREFIX)) continue;
    const m = LINE.exec(line);
    const value = m ? Number(m[2]) : Number.NaN;
    if (!m || !Number.isFinite(value)) {
      throw new WorkloadOutputError(workload, `a well-formed "${PROBE_RESULT_PREFIX} <metric>=<number> <unit>" line (got ${JSON.stringify(line)})`, output);
    }
    out.push({ name: m[1] as string, value, unit: m[3] as string });
  }
  return out;
}

/** The named metrics from result lines; throws naming the first one that is missing. */
export function requireProbeMetrics(workload: string, output: string, names: readonly string[]): Record<string, number> {
  return requireFrom(workload, output, new Map(parseProbeResults(output, workload).map((r) => [r.name, r.value])), names);
}

function requireFrom(workload: string, output: string, found: ReadonlyMap<string, number>, names: readonly string[]): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const name of names) {
    const v = found.get(name);
    if (v === undefined) throw new WorkloadOutputError(workload, `the result line "${PROBE_RESULT_PREFIX} ${name}=..."`, output);
    metrics[name] = v;
  }
  return metrics;
}

/** Lines a sliced probe workload (cpu, syscall) prints besides its rates. */
export const SLICE_LINES = ['slices', 'slice_min', 'slice_max'] as const;

/**
 * A sliced probe workload's output (cpu, syscall), parsed once: `metric` (the
 * median slice rate) and `metric`_whole, both required, and the slice record
 * (how many slices the median was taken over, the slowest and fastest slice
 * rate). The record is kept in the sample's metrics as a record of the method,
 * not declared as metrics (a ratio of them to the host's means nothing); its
 * absent lines are left out.
 */
export function parseSlicedProbe(workload: string, output: string, metric: string): Record<string, number> {
  const found = new Map(parseProbeResults(output, workload).map((r) => [r.name, r.value]));
  const record: Record<string, number> = {};
  for (const name of SLICE_LINES) {
    const v = found.get(name);
    if (v !== undefined) record[name] = v;
  }
  return { ...requireFrom(workload, output, found, [metric, `${metric}_whole`]), ...record };
}
