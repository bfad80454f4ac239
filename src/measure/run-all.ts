import { mkdir, rm, symlink, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Environment } from '../envs/types.js';
import type { EnvContext } from '../envs/context.js';
import type { ImageRef } from '../image/types.js';
import type { EnvironmentInfo, GateOptions, Manifest, RunResults } from '../results/types.js';
import { RESULTS_SCHEMA_VERSION } from '../results/types.js';
import type { Scenario } from '../scenario/schema.js';
import { writeReports, type Renderer } from '../results/exporters.js';
import type { RunPhase } from './phases/types.js';
import { describeError } from '../core/errors.js';
import { gitRevision, toolVersion } from '../core/version.js';
import { RESULTS_FILE, writeResults } from '../results/writer.js';
import { LaunchError } from '../envs/launch-errors.js';
import { runPhases } from './phases/runner.js';
import { checkEnvironments } from './check-envs.js';
import { prepareInLanes } from './prepare-lanes.js';
import { plannedRuns, runScenario, stopLabel, stopSignal, type EnvSlot } from './scheduler.js';
import { ledgerFor, recordInLedger, runDirOf } from '../core/run-ledger.js';
import { fsUserError } from '../core/fs-errors.js';
import { imageInfo, type BuildImageFn } from './image-source.js';
import { WORKLOAD_IMAGE } from '../image/recipe/workload.js';
import { claimRunDir, releaseRunDir } from './gc-runs.js';
import { defaultResolveImage, resolveScenarioImages, userImageInfo, type ResolveImageFn } from './user-images.js';
import type { UserImage } from '../image/user-image.js';
import type { ProgressSink } from './progress.js';

export interface RunAllOptions {
  /** The context the environments were created with (home, runId, nativeDir). */
  ctx: EnvContext;
  /** Scenarios to run, already loaded and validated, with --rounds/--warmup applied. */
  scenarios: Scenario[];
  /** Every backend, in report order (createEnvironments). */
  environments: Environment[];
  /** Names selected with --env; every environment when undefined. */
  envFilter?: string[];
  outDir: string;
  /** Folder whose `latest` symlink should point at outDir (the default reports/ dir); none with --out. */
  latestLinkDir?: string;
  command: string[];
  buildImage: BuildImageFn;
  /** Imports/pulls a scenario's `image:` (default: src/image's resolveUserImage). */
  resolveImage?: ResolveImageFn;
  collectManifest: (envs: EnvironmentInfo[]) => Promise<Manifest>;
  phases: readonly RunPhase[];
  renderers: readonly Renderer[];
  progress: ProgressSink;
  /** Stops the run between steps (Ctrl-C, SIGTERM: the abort reason names the signal); environments are still cleaned up, results saved and reports rendered. */
  signal?: AbortSignal;
  /** `bench verify`'s gate, recorded in results.options for the reports. */
  gate?: GateOptions;
  /** --allow-concurrent: recorded in the manifest, since another run may have shared the CPUs. */
  allowConcurrent?: boolean;
  /** --label: names this host in a cross-host merge. */
  label?: string;
  /**
   * Sequential sampling for every scenario (absent: each scenario runs exactly
   * its rounds). budgetMs covers the timed scenarios of the whole run.
   */
  sampling?: { precision: number; maxRounds: number; budgetMs?: number };
}

export interface RunAllOutcome {
  results: RunResults;
  outDir: string;
  resultsFile: string;
  reports: string[];
  /** One line per failed (scenario, env) and failed phase: the CLI prints these. */
  failures: string[];
  /** Set when a signal stopped the run early (what was measured is saved and rendered). */
  interrupted?: 'SIGINT' | 'SIGTERM' | 'stop';
  /** Scenarios whose host baseline failed: every ratio of theirs is missing, so the run is not a success. */
  baselineFailures: string[];
  /** The first results.json write that failed (ENOSPC, EROFS ...), as a user error; reports were still attempted. */
  saveError?: Error;
}

/**
 * `bench run`: build the image, probe and prepare every selected environment
 * once (untimed), run the scenarios (results.json after each), then the
 * phases (results.json after each), the renderers, and clean every
 * environment up (also when something above threw).
 */
export async function runAll(o: RunAllOptions): Promise<RunAllOutcome> {
  await mkdir(o.outDir, { recursive: true });
  const { ctx } = o;
  // Claimed before any backend writes into it, so a concurrent `bench gc` keeps it and a later one can sweep it if we die.
  await claimRunDir(ctx.home, ctx.runId);
  const selected = o.envFilter ? o.environments.filter((e) => o.envFilter!.includes(e.name)) : o.environments;

  // isobench's own images need no environment: their builds (cached in the home) start now and run beside the
  // availability checks, which mostly wait (probe boots). The builds below then find them; a failure here is
  // ignored and met again, with its message, by those builds.
  const prebuilt = (async () => {
    for (const name of ownImages(o.scenarios)) await o.buildImage(ctx.home, name).catch(() => undefined); // one at a time: they share layers in the store
  })();
  o.progress.stage('checking environments');
  const slots: EnvSlot[] = [];
  const infos = await checkEnvironments(selected);
  await prebuilt;
  for (const [i, info] of infos.entries()) if (info.status === 'skipped') slots.push({ env: selected[i]!, state: 'skipped', reason: info.reason! });

  o.progress.stage('collecting the host manifest');
  const results: RunResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: ctx.runId,
    startedAt: new Date().toISOString(),
    command: o.command,
    tool: { name: 'isobench', version: toolVersion(), gitRevision: gitRevision() },
    manifest: await o.collectManifest(infos),
    options: {
      scenarios: o.scenarios.map((s) => s.name),
      envs: selected.map((e) => e.name),
      ...(o.gate ? { gate: o.gate } : {}),
      ...(o.scenarios[0] ? { rounds: o.scenarios[0].rounds, warmup: o.scenarios[0].warmup } : {}),
      ...(o.sampling ? { precision: o.sampling.precision, maxRounds: o.sampling.maxRounds, ...(o.sampling.budgetMs !== undefined ? { budgetMs: o.sampling.budgetMs } : {}) } : {}),
    },
    environments: infos,
    scenarios: [],
    warnings: [],
  };
  if (o.allowConcurrent) results.manifest.concurrentRunsAllowed = true;
  if (o.label !== undefined) results.manifest.label = o.label;
  const resultsFile = path.join(o.outDir, RESULTS_FILE);
  // A write that fails (disk full, read-only) must not lose the run: keep
  // measuring in memory, report the first failure once, render what we can.
  let saveError: Error | undefined;
  const save = async (): Promise<void> => {
    try {
      await writeResults(o.outDir, results);
    } catch (err) {
      if (saveError) return;
      saveError = fsUserError(err, `writing ${resultsFile}`);
      o.progress.warn(`cannot save results: ${saveError.message} (measuring goes on; reports are rendered from memory)`);
    }
  };
  // The writer's temp file is named after our pid: if we are killed mid-write, gc removes it.
  recordInLedger(runDirOf(ctx.home, ctx.runId), { kind: 'temp', path: `${resultsFile}.tmp-${process.pid}` });
  await save();
  const failures: string[] = [];
  let interrupted: RunAllOutcome['interrupted'];
  const stopped = (): boolean => {
    if (!o.signal?.aborted) return false;
    interrupted ??= stopSignal(o.signal) ?? 'stop';
    return true;
  };

  const prepared: Environment[] = [];
  let image: ImageRef | undefined;
  try {
    // User images first: a bad reference or a shell command without /bin/sh fails before anything is prepared.
    const userImages = await resolveScenarioImages(ctx.home, o.scenarios, o.resolveImage ?? defaultResolveImage, (l) => o.progress.stage(l));
    // One group per image; isobench's own image last, so the phases after the scenarios find it prepared.
    const groups = imageGroups(o.scenarios, userImages);
    // isobench's other images (the applications image) are built like the workload image.
    for (const g of groups) {
      if (!g.builtin) continue;
      o.progress.stage(`building the image ${g.builtin}`);
      g.builtinImage = await o.buildImage(ctx.home, g.builtin);
    }
    if (groups.some((g) => g.user === undefined && g.builtin === undefined)) {
      o.progress.stage('building the workload image');
      image = await o.buildImage(ctx.home);
      results.image = imageInfo(image);
    } else {
      // No scenario of the workload image: results.image names the first group's image.
      results.image = imageInfo(groupImageOf(groups[0]!, image)!);
    }
    const used = groups.map((g) => groupImageOf(g, image)).filter((i): i is ImageRef => i !== undefined);
    if (new Set(used.map((i) => i.digest)).size > 1) results.images = [...new Map(used.map((i) => [i.digest, imageInfo(i)])).values()];
    await save();

    const skippedSlots = [...slots];
    const counter = { done: 0, total: 0 };
    const t0 = performance.now();
    let weightLeft = o.scenarios.reduce((w, s) => w + weightOf(s), 0);
    for (const [gi, group] of groups.entries()) {
      if (stopped()) break;
      const groupImage = groupImageOf(group, image)!;
      if (gi > 0) {
        // The next image replaces the previous one in every environment (release keeps run-wide parts such as Docker's daemon).
        for (const env of [...prepared].reverse()) await (env.release ? env.release() : env.cleanup());
        prepared.length = 0;
      }
      slots.length = 0;
      slots.push(...skippedSlots);
      const toPrepare = selected.filter((env) => !skippedSlots.some((s) => s.env === env));
      // Every one is in `prepared` before any starts, so cleanup order stays the selection's whatever finishes first.
      prepared.push(...toPrepare);
      await prepareInLanes(toPrepare, async (env) => {
        if (stopped()) return;
        o.progress.stage(`preparing ${env.name}${group.user ? ` with ${group.user.ref}` : group.builtin ? ` for ${group.builtin}` : ''}`);
        try {
          // All of this image's scenarios write to storage: the VM builds its disk up front, not an initramfs.
          const p = await env.prepare(groupImage, group.scenarios.length > 0 && group.scenarios.every((x) => x.definition.storage === 'disk') ? { storage: 'disk' } : {});
          const info = infos.find((i) => i.name === env.name);
          if (info && p.facts) info.facts = { ...info.facts, ...p.facts };
          slots.push({ env, state: 'ready', prepared: p, ...(info?.accelerator ? { accelerator: info.accelerator } : {}) });
        } catch (err) {
          slots.push({ env, state: 'failed', error: describeError(err), ...(err instanceof LaunchError ? { outputTail: err.outputTail } : {}) });
          failures.push(`${env.name}: prepare failed${group.user ? ` (image ${group.user.ref})` : ''}: ${describeError(err).message}`);
          o.progress.warn(`${env.name}: prepare failed: ${describeError(err).message}`);
        }
      });
      // Keep the report order of the backend list, whatever order the checks finished in.
      slots.sort((a, b) => selected.indexOf(a.env) - selected.indexOf(b.env));

      counter.total += group.scenarios.reduce((n, s) => n + plannedRuns(s, slots), 0);
      // The lighter scenarios of a group first, the heavier (startup, cpu, memory, syscall) last. A light one
      // mostly runs its floor of rounds, whatever its share; a heavy one batches its cheap cells into whatever
      // time it gets. Run last, the heavy ones share what the floors left, and the run's budget holds.
      for (const s0 of budgetOrder(group.scenarios)) {
        if (stopped()) break;
        const s = { ...s0, imageProcess: groupImage.config };
        o.progress.stage(`scenario ${s.name}`);
        const share = budgetShare(o.sampling?.budgetMs, performance.now() - t0, weightOf(s0), weightLeft);
        weightLeft -= weightOf(s0);
        // The run's last budgeted scenario: a cell its futility rule parked may use what the others leave.
        const sampling = o.sampling ? { precision: o.sampling.precision, maxRounds: o.sampling.maxRounds, ...share, ...(weightLeft <= 0 ? { last: true } : {}) } : undefined;
        const r = await runScenario(s, slots, { progress: o.progress, counter, ledger: ledgerFor(runDirOf(ctx.home, ctx.runId)), ...(o.signal ? { signal: o.signal } : {}), ...(sampling ? { sampling } : {}) });
        if (group.user) r.userImage = userImageInfo(group.user);
        results.scenarios.push(r);
        for (const e of r.envs) if (e.status === 'failed') failures.push(`${s.name} / ${e.env}: ${e.error.code}: ${e.error.message}`);
        if (r.interrupted) results.warnings.push(`scenario ${s.name} interrupted by ${stopLabel(o.signal)} after ${r.interrupted.timedRunsDone} of ${r.interrupted.timedRunsPlanned} timed runs: its statistics cover those only`);
        await save();
      }
    }
    // Keep results in the order the scenarios were asked for, whatever order the image groups ran in.
    results.scenarios.sort((a, b) => o.scenarios.findIndex((s) => s.name === a.name) - o.scenarios.findIndex((s) => s.name === b.name));
    await save();
    if (!image) o.progress.stage('no scenario ran isobench\'s workload image: isolation, claims and the other phases need it and are not run');
  } catch (err) {
    // Something outside any single environment broke (image build, a bug):
    // keep what was measured, then let the CLI report the error.
    results.warnings.push(`run aborted: ${describeError(err).message}`);
    results.finishedAt = new Date().toISOString();
    await save();
    await cleanupAll(o, prepared, results, failures);
    throw err;
  }
  try {
    const ready = slots.filter((s): s is Extract<EnvSlot, { state: 'ready' }> => s.state === 'ready');
    const outcomes = stopped() || !image ? [] : await runPhases(o.phases, {
      results,
      image,
      environments: ready.map((s) => s.env),
      prepared: new Map(ready.map((s) => [s.env.name, s.prepared])),
      env: ctx,
      outDir: o.outDir,
      progress: (line) => o.progress.stage(line),
      ...(o.signal ? { signal: o.signal } : {}),
    }, save);
    for (const p of outcomes) if (p.status === 'failed') failures.push(`phase ${p.name}: ${p.error?.message ?? 'failed'}`);
    const skipped = outcomes.filter((p) => p.status === 'interrupted').map((p) => p.name);
    if (stopped()) results.warnings.push(`run interrupted by ${stopLabel(o.signal)}: what was measured is saved${skipped.length ? `; phases not run: ${skipped.join(', ')}` : outcomes.length === 0 && o.phases.length > 0 ? '; no phase ran' : ''}`);
  } finally {
    await cleanupAll(o, prepared, results, failures);
  }
  const baselineFailures = hostBaselineFailures(results, selected);
  for (const b of baselineFailures) results.warnings.push(`host baseline failed: ${b}`);

  results.finishedAt = new Date().toISOString();
  await save();
  o.progress.stage('rendering reports');
  const { files: reports, failures: broken } = await writeReports(o.renderers, results, o.outDir);
  for (const b of broken) {
    const msg = `renderer ${b.name} failed: ${b.error.message}`;
    results.warnings.push(msg);
    failures.push(msg);
  }
  if (broken.length) await save();
  if (o.latestLinkDir) await pointLatest(o.latestLinkDir, o.outDir).catch((err: unknown) => o.progress.warn(`cannot update latest link: ${describeError(err).message}`));
  return { results, outDir: o.outDir, resultsFile, reports, failures, baselineFailures, ...(interrupted ? { interrupted } : {}), ...(saveError ? { saveError } : {}) };
}

/** Cleans every prepared environment up (reverse order), then releases the run dir. */
async function cleanupAll(o: RunAllOptions, prepared: Environment[], results: RunResults, failures: string[]): Promise<void> {
  let clean = true;
  for (const env of [...prepared].reverse()) {
    o.progress.stage(`cleaning up ${env.name}`);
    try {
      await env.cleanup();
    } catch (err) {
      clean = false;
      const msg = `${env.name}: cleanup failed: ${describeError(err).message}`;
      results.warnings.push(msg);
      failures.push(msg);
    }
  }
  prepared.length = 0;
  await releaseRunDir(o.ctx.home, o.ctx.runId, clean);
}

/**
 * "scenario: why" for each scenario whose host run failed when the host was
 * selected: without the baseline no ratio exists, and a run that measured
 * no baseline must not look like a success.
 */
function hostBaselineFailures(results: RunResults, selected: Environment[]): string[] {
  if (!selected.some((e) => e.kind === 'host')) return [];
  const host = results.environments.find((e) => e.kind === 'host');
  if (host && host.status === 'skipped') return [];
  const out: string[] = [];
  for (const s of results.scenarios) {
    const h = s.envs.find((e) => e.kind === 'host');
    if (h?.status === 'failed') out.push(`${s.name}: ${h.error.code}: ${h.error.message}`);
  }
  return out;
}

interface ImageGroup { user?: UserImage; builtin?: string; builtinImage?: ImageRef; scenarios: Scenario[] }

/**
 * Scenarios grouped by the image they run in: user images in first-use
 * order, then isobench's other images (a workload's `image`, e.g. the
 * applications image), isobench's workload image last.
 */
function imageGroups(scenarios: readonly Scenario[], users: Map<string, UserImage>): ImageGroup[] {
  const byRef = new Map<string, ImageGroup>();
  const builtins = new Map<string, ImageGroup>();
  const own: ImageGroup = { scenarios: [] };
  for (const s of scenarios) {
    if (s.image) {
      let g = byRef.get(s.image);
      if (!g) byRef.set(s.image, (g = { user: users.get(s.image)!, scenarios: [] }));
      g.scenarios.push(s);
      continue;
    }
    const b = s.definition.image;
    if (b && b !== WORKLOAD_IMAGE) {
      let g = builtins.get(b);
      if (!g) builtins.set(b, (g = { builtin: b, scenarios: [] }));
      g.scenarios.push(s);
      continue;
    }
    own.scenarios.push(s);
  }
  const others = [...byRef.values(), ...builtins.values()];
  return [...others, ...(own.scenarios.length > 0 || others.length === 0 ? [own] : [])];
}

/** isobench's own images the scenarios run in (undefined = the workload image), without user images. */
function ownImages(scenarios: readonly Scenario[]): (string | undefined)[] {
  const names = new Set<string | undefined>();
  for (const s of scenarios) {
    if (s.image) continue;
    const b = s.definition.image;
    names.add(b && b !== WORKLOAD_IMAGE ? b : undefined);
  }
  // In the order the groups run: isobench's other images first, the workload image last.
  return [...names].sort((a, b) => Number(a === undefined) - Number(b === undefined));
}

function groupImageOf(g: ImageGroup, workload: ImageRef | undefined): ImageRef | undefined {
  return g.user ? g.user.run : g.builtinImage ?? workload;
}

/** Replaces <dir>/latest atomically (symlink to a temp name, rename over). */
async function pointLatest(dir: string, target: string): Promise<void> {
  const link = path.join(dir, 'latest');
  const tmp = path.join(dir, `.latest-${process.pid}`);
  await rm(tmp, { force: true });
  await symlink(path.relative(dir, target), tmp);
  await rename(tmp, link);
}

/**
 * A scenario's share of the run's time budget: what is left, split over the
 * scenarios still to run by their weights (a scenario's `budgetWeight`: the
 * ones whose precision the claims depend on weigh more). A scenario whose
 * environments decide early leaves its unused time to the ones after it;
 * within a scenario the budget stops the costliest environments first
 * (scheduler).
 */
export function budgetShare(budgetMs: number | undefined, elapsedMs: number, weight: number, weightLeft: number): { budgetMs?: number } {
  if (budgetMs === undefined) return {};
  return { budgetMs: (Math.max(0, budgetMs - elapsedMs) * weight) / Math.max(weight, weightLeft) };
}

/** The order a group's scenarios run in: lighter budget weights first, stable among equals. */
export function budgetOrder<T extends Pick<Scenario, 'budgetWeight'>>(scenarios: readonly T[]): T[] {
  return [...scenarios].sort((a, b) => weightOf(a) - weightOf(b));
}

function weightOf(s: Pick<Scenario, 'budgetWeight'>): number {
  return s.budgetWeight ?? 1;
}
