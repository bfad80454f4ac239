import path from 'node:path';
import { runIsolation, gate } from '../../probe/index.js';
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
  },
};
