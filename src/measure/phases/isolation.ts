import path from 'node:path';
import { runIsolation, gate, probePeerSeparation, collectHostFacts } from '../../probe/index.js';
import type { ContainerSeparationFacts } from '../../results/types.js';
import type { Prepared } from '../../envs/types.js';
import type { PhaseContext, RunPhase } from './types.js';

/** Available environments the harness could not prepare, with the best reason results.json has. */
function unprepared(ctx: PhaseContext): { name: string; reason: string }[] {
  return ctx.results.environments
    .filter((e) => e.status === 'available' && !ctx.prepared.has(e.name))
    .map((e) => {
      const failed = ctx.results.scenarios.flatMap((s) => s.envs).find((x) => x.env === e.name && x.status === 'failed');
      const warned = ctx.results.warnings.find((w) => w.startsWith(`${e.name}: `));
      const why = failed?.status === 'failed' ? failed.error.message : warned ?? 'see the run log';
      return { name: e.name, reason: `available but could not be prepared (${why})` };
    });
}

/**
 * The isolation scenario: host facts and sentinels, then the probe's checks
 * in every prepared environment, classified against the expectations table
 * (src/probe/expectations.ts). Writes results.isolation; the sentinels are
 * removed before the phase returns, whatever happened.
 */
export const isolationPhase: RunPhase = {
  name: 'isolation',
  async run(ctx) {
    const iso = await runIsolation({
      environments: ctx.environments,
      prepared: ctx.prepared,
      skipped: ctx.results.environments.filter((e) => e.status === 'skipped'),
      unprepared: unprepared(ctx),
      nativeDir: ctx.env.nativeDir,
      runDir: path.join(ctx.env.home.runs, ctx.env.runId),
      progress: ctx.progress,
    });
    ctx.results.isolation = iso;
    const leftovers = iso.hostFacts.leftovers;
    if (Array.isArray(leftovers) && leftovers.length) ctx.results.warnings.push(`isolation: host sentinels left behind: ${leftovers.join(', ')}`);
    const g = gate(iso);
    if (!g.ok) ctx.results.warnings.push(`isolation: ${g.failures.length} contradiction(s) for our engine or VM: ${g.failures.map((f) => f.split(':')[0]).join(', ')}`);
    await containerSeparation(ctx);
  },
};

/** Container B probes container A (both of our engine): results.facts.containerSeparation. */
async function containerSeparation(ctx: PhaseContext): Promise<void> {
  const facts = (ctx.results.facts ??= {});
  const env = ctx.environments.find((e) => e.name === 'container');
  const prepared = ctx.prepared.get('container') as (Prepared & { lowerDirs?: string[] }) | undefined;
  if (!env || !prepared?.lowerDirs) {
    facts.containerSeparation = { status: 'skipped', reason: 'the container environment was not prepared in this run' } satisfies ContainerSeparationFacts;
    return;
  }
  ctx.progress('isolation: container B probes container A');
  const sep = await probePeerSeparation({
    home: ctx.env.home, nativeDir: ctx.env.nativeDir, env,
    prepared: { ...prepared, lowerDirs: prepared.lowerDirs }, host: await collectHostFacts(ctx.env.nativeDir),
  });
  facts.containerSeparation = sep;
  if (sep.status === 'failed') ctx.results.warnings.push(`isolation: container-to-container probe failed: ${sep.reason}`);
  else ctx.progress(`isolation: ${sep.evidence}`);
}
