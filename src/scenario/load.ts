/**
 * Reading scenario files. Everything is validated before anything runs, and
 * every problem of a file (or of all selected files) is reported at once.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { displayPath, issuesFromYaml, issuesFromZod, locate } from './locate.js';
import { scenarioFileSchema, type Scenario } from './schema.js';
import { environmentNames } from '../envs/registry.js';
import { getWorkload } from './workloads/index.js';

export const SCENARIO_EXTENSION = '.yaml';

/**
 * Validates the text of one scenario file. `file` names it in messages and
 * fixes the expected `name` (the file's base name without .yaml). Throws a
 * ScenarioError listing every problem.
 */
export function parseScenarioText(text: string, file: string): Scenario {
  const shown = displayPath(file);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ScenarioError(issuesFromYaml(doc.errors, shown));
  if (doc.contents === null) {
    throw new ScenarioError([{ file: shown, line: 1, column: 1, path: '', message: 'the file is empty; expected a mapping with name, description and workload' }]);
  }
  const data: unknown = doc.toJS();
  const issues: ScenarioIssue[] = [];
  const top = scenarioFileSchema.safeParse(data, { reportInput: true });
  if (!top.success) issues.push(...issuesFromZod(top.error, [], data, doc, lc, shown));

  const expectedName = path.basename(file, SCENARIO_EXTENSION);
  const rawName = (data as { name?: unknown } | null)?.name;
  if (typeof rawName === 'string' && rawName !== expectedName) {
    issues.push({
      file: shown,
      ...locate(doc, lc, ['name']),
      path: 'name',
      message: `must equal the file name "${expectedName}", got ${JSON.stringify(rawName)} (rename the file or the scenario)`,
    });
  }

  // Params are checked by the workload type's own schema, even when other
  // fields failed, so one run of the tool shows every problem.
  const rawWorkload = (data as { workload?: { type?: unknown; params?: unknown } } | null)?.workload;
  const def = typeof rawWorkload?.type === 'string' ? getWorkload(rawWorkload.type) : undefined;
  let params: Record<string, unknown> | undefined;
  if (def) {
    const rawParams = rawWorkload?.params ?? {};
    const res = def.paramsSchema.safeParse(rawParams, { reportInput: true });
    if (res.success) params = res.data;
    else if (rawParams !== null && typeof rawParams === 'object' && !Array.isArray(rawParams)) {
      issues.push(...issuesFromZod(res.error, ['workload', 'params'], data, doc, lc, shown));
    }
  }

  if (issues.length > 0 || !top.success || !def || !params) {
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ScenarioError(issues);
  }
  const f = top.data;
  const specs = def.metricsFor ? def.metricsFor(params) : { metrics: [...def.metrics], primary: def.primary };
  const byName = new Map(specs.metrics.map((m) => [m.name, m]));
  const primaryMetric = byName.get(specs.primary);
  if (!primaryMetric) throw new Error(`workload ${def.type}: primary metric ${specs.primary} is not in its metrics list`);
  // A command's own timeoutSeconds (in its params) wins over the scenario's.
  const paramTimeout = (params as { timeoutSeconds?: unknown }).timeoutSeconds;
  return {
    name: f.name,
    description: f.description,
    file: path.resolve(file),
    workload: { type: def.type, params },
    definition: def,
    metrics: specs.metrics,
    primaryMetric,
    environments: f.environments === 'all' ? environmentNames() : f.environments,
    rounds: f.rounds,
    warmup: f.warmup,
    timeoutSeconds: typeof paramTimeout === 'number' ? paramTimeout : f.timeoutSeconds,
    limits: f.limits,
    ...(f.image ? { image: imageRelativeTo(f.image, file) } : {}),
    ...(f.roundMs !== undefined ? { roundMs: f.roundMs } : {}),
    budgetWeight: f.budgetWeight,
  };
}

/** An archive path in a scenario is relative to the scenario file; names and registry references stay as written. */
function imageRelativeTo(ref: string, file: string): string {
  if (ref.startsWith('./') || ref.startsWith('../')) return path.resolve(path.dirname(path.resolve(file)), ref);
  return ref;
}

export async function loadScenarioFile(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.message;
    throw new ScenarioError([{ file: displayPath(file), line: 0, column: 0, path: '', message: `cannot read the scenario file: ${why}` }], 'SCENARIO_UNREADABLE');
  }
  return parseScenarioText(text, file);
}

/** Scenario names available in `dir` (file names without .yaml), sorted. */
export async function listScenarioNames(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    throw new ConfigError('SCENARIO_DIR_MISSING', `cannot read the scenario directory ${displayPath(dir)}: ${(err as Error).message}`, {
      hint: 'Pass --scenarios-dir or run from the isobench checkout.',
      cause: err,
    });
  }
  return entries
    .filter((f) => f.endsWith(SCENARIO_EXTENSION) && !f.startsWith('.'))
    .map((f) => f.slice(0, -SCENARIO_EXTENSION.length))
    .sort();
}

/** A scenario argument that is a file's path rather than a name: it ends in the extension or holds a slash. */
export function isScenarioPath(word: string): boolean {
  return word.endsWith(SCENARIO_EXTENSION) || word.includes('/');
}

/**
 * Loads the named scenarios of `dir` (all of them for undefined, 'all', or a
 * list containing 'all'), in the order given (or by name). Names may also be
 * comma-separated ("cpu,memory"), or paths of scenario files anywhere
 * ("./mine.yaml"), which run after the named ones. Unknown names and invalid
 * files are all reported in one ConfigError before anything runs.
 */
export async function loadScenarios(dir: string, names?: readonly string[] | 'all'): Promise<Scenario[]> {
  const wanted =
    names === undefined || names === 'all'
      ? ['all']
      : [...new Set(names.flatMap((n) => n.split(',')).map((n) => n.trim()).filter((n) => n !== ''))];
  // A word that names a file (my-bench.yaml, ./x/y.yaml) is that file, wherever it lives: a user's own scenario
  // runs without copying it into the scenarios dir or pointing --scenarios-dir at it.
  const files = wanted.filter(isScenarioPath);
  const byName = wanted.filter((n) => !isScenarioPath(n));
  const available = byName.length > 0 || files.length === 0 ? await listScenarioNames(dir) : [];
  const selected = wanted.length === 0 || byName.includes('all') ? available : byName;
  const unknown = selected.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    throw new ConfigError(
      'SCENARIO_UNKNOWN',
      `unknown scenario${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} in ${displayPath(dir)}; available: ${available.join(', ') || '(none)'}`,
      { hint: `Use one of the available names, "all", or the path of a scenario file (ending in ${SCENARIO_EXTENSION}).` },
    );
  }
  if (selected.length === 0 && files.length === 0) {
    throw new ConfigError('SCENARIO_NONE', `no *${SCENARIO_EXTENSION} scenario files in ${displayPath(dir)}`);
  }
  const paths = [...selected.map((n) => path.join(dir, n + SCENARIO_EXTENSION)), ...files.map((f) => path.resolve(f))];
  const results = await Promise.allSettled(paths.map((f) => loadScenarioFile(f)));
  const issues: ScenarioIssue[] = [];
  const scenarios: Scenario[] = [];
  for (const r of results) {
    if (r.status === 'fulfilled') scenarios.push(r.value);
    else if (r.reason instanceof ScenarioError) issues.push(...r.reason.issues);
    else throw r.reason;
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  const twice = scenarios.map((x) => x.name).filter((n, i, all) => all.indexOf(n) !== i);
  if (twice.length > 0) {
    throw new ConfigError('SCENARIO_DUPLICATE', `scenario ${[...new Set(twice)].map((n) => `"${n}"`).join(', ')} given twice (a name and a file, or two files of one name)`, {
      hint: 'Give each scenario once; a file must be named after its scenario, so two of one name are the same scenario.',
    });
  }
  return scenarios;
}
