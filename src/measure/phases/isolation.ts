import path from 'node:path';
import { runIsolation, gate } from '../../probe/index.js';
import type { RunPhase } from './types.js';

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
