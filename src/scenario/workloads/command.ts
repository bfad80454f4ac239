/**
 * A user's own command, in whatever image the scenario names. The probe's
 * `exec` starts it with the image's working directory and user (or the
 * scenario's), after the ready marker, so the figure is the command alone.
 * Without `metrics` the figure is execMs: ready marker to exit, by the
 * harness's timer. With `metrics`, each is a regular expression over the
 * command's output whose first group is the number.
 */
import * as z from 'zod';
import type { MetricSpec } from '../../results/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { WorkloadOutputError } from '../errors.js';
import { TIMING_METRICS, type BuildContext, type BuiltCommand, type Workload } from './types.js';
import { positiveNumber, strictObject } from './params.js';
import { normalizeOutput } from './output-text.js';

const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A regex source that compiles and has at least one capture group (the number). */
const regexSource = z.string({ error: 'expected a regular expression (text)' }).superRefine((src, ctx) => {
  let re: RegExp;
  try {
    re = new RegExp(src, 'm');
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(e as Error).message}` });
    return;
  }
  // A regex with N groups matches "" with N+1 entries (or not at all); count groups with an alternation that always matches.
  const groups = new RegExp(`${re.source}|`).exec('')!.length - 1;
  if (groups < 1) ctx.addIssue({ code: 'custom', message: 'needs a capture group around the number, e.g. "([0-9.]+) MB/s"' });
});

const metric = strictObject({
  regex: regexSource,
  unit: z.string({ error: 'expected a unit (text, e.g. MB/s)' }).min(1, { error: 'expected a unit (text, e.g. MB/s)' }),
  better: z.enum(['higher', 'lower'], { error: 'expected higher or lower' }),
  description: z.string({ error: 'expected a text' }).optional(),
});

const envMap = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name' }),
  z.string({ error: 'expected a text value (quote numbers)' }),
  { error: 'expected a mapping NAME: value' },
);

export const commandParams = strictObject({
  /** The program and its arguments, run as given (PATH is searched inside the image). */
  argv: z.array(z.string({ error: 'expected a text' }), { error: 'expected a list of texts' }).min(1, { error: 'expected at least the program' }).optional(),
  /** A shell command line, run as /bin/sh -c (the image must have /bin/sh). */
  shell: z.string({ error: 'expected a command line (text)' }).min(1, { error: 'expected a command line' }).optional(),
  /** Added to (and overriding) the image's Env. */
  env: envMap.default({}),
  /** Replaces the image's WorkingDir. */
  workdir: z.string({ error: 'expected an absolute path' }).startsWith('/', { error: 'expected an absolute path' }).optional(),
  /** Replaces the image's User (name, uid, or user:group). */
  user: z.string({ error: 'expected a user (name, uid or user:group)' }).min(1).optional(),
  /** Per-run limit; replaces the scenario's timeoutSeconds. */
  timeoutSeconds: positiveNumber(86_400).optional(),
  metrics: z.record(
    z.string().regex(METRIC_NAME, { error: 'expected a metric name (letters, digits, _)' }),
    metric,
    { error: 'expected a mapping of metric names to { regex, unit, better }' },
  ).optional(),
  /** The metric reports rank by (default: the first one). */
  primary: z.string({ error: 'expected a metric name' }).optional(),
}).superRefine((p, ctx) => {
  if (p.argv && p.shell) ctx.addIssue({ code: 'custom', path: ['shell'], message: 'give argv or shell, not both' });
  const names = Object.keys(p.metrics ?? {});
  if (p.primary !== undefined && !names.includes(p.primary)) {
    ctx.addIssue({ code: 'custom', path: ['primary'], message: `not one of the metrics (${names.join(', ') || 'none declared'})` });
  }
  for (const n of names) {
    if (Object.hasOwn(TIMING_METRICS, n)) ctx.addIssue({ code: 'custom', path: ['metrics', n], message: `"${n}" is measured by the harness; name the metric differently` });
  }
});

export type CommandParams = z.output<typeof commandParams>;

/** The image's process defaults the command inherits unless overridden. */
export interface ImageProcess {
  env: string[];
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
  user?: string;
}

/** The program and arguments the scenario runs (before the probe's exec wrapper). */
export function commandArgv(p: CommandParams, image?: ImageProcess): string[] {
  if (p.shell !== undefined) return ['/bin/sh', '-c', p.shell];
  if (p.argv) return [...p.argv];
  const fromImage = [...(image?.entrypoint ?? []), ...(image?.cmd ?? [])];
  return fromImage;
}

/** KEY=VALUE list of an image config as a record (the first '=' splits). */
export function envRecord(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf('=');
    if (eq > 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

function metricSpecs(p: CommandParams): { metrics: MetricSpec[]; primary: string } {
  const entries = Object.entries(p.metrics ?? {});
  if (entries.length === 0) {
    return { metrics: [TIMING_METRICS.execMs, TIMING_METRICS.startupMs], primary: 'execMs' };
  }
  const metrics: MetricSpec[] = entries.map(([name, m]) => ({
    name, unit: m.unit, higherIsBetter: m.better === 'higher', description: m.description ?? `/${m.regex}/ in the output`,
  }));
  return { metrics: [...metrics, TIMING_METRICS.execMs, TIMING_METRICS.startupMs], primary: p.primary ?? entries[0]![0] };
}

export const commandWorkload: Workload<CommandParams> = {
  type: 'command',
  description: 'a command of your own (argv or shell) in the scenario\'s image; metrics from regexes over its output, else its wall time',
  metrics: [TIMING_METRICS.execMs, TIMING_METRICS.startupMs],
  primary: 'execMs',
  paramsSchema: commandParams as unknown as z.ZodType<CommandParams>,
  metricsFor: metricSpecs,
  build(p: CommandParams, ctx: BuildContext): BuiltCommand {
    const argv = commandArgv(p, ctx.image);
    if (argv.length === 0) {
      throw new WorkloadOutputError('command', 'a command to run (no argv or shell in the scenario, and the image has no Entrypoint or Cmd)', '');
    }
    const cwd = p.workdir ?? (ctx.image?.workingDir || '/');
    const user = p.user ?? ctx.image?.user;
    return {
      argv: [IMAGE_PATHS.probe, 'exec', '--cwd', cwd, ...(user ? ['--user', user] : []), '--', ...argv],
      env: { ...envRecord(ctx.image?.env ?? []), ...p.env },
    };
  },
  parse(output: string, p?: CommandParams): Record<string, number> {
    const text = normalizeOutput(output);
    const out: Record<string, number> = {};
    for (const [name, m] of Object.entries(p?.metrics ?? {})) {
      const match = new RegExp(m.regex, 'm').exec(text);
      const v = match?.[1] === undefined ? Number.NaN : Number(match[1].replace(/,/g, ''));
      if (!Number.isFinite(v)) throw new WorkloadOutputError('command', `metric ${name} (/${m.regex}/ with a number in its first group)`, output);
      out[name] = v;
    }
    return out;
  },
};
