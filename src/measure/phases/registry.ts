import path from 'node:path';
import { openStore } from '../../engine/store/index.js';
import { registryAvailable } from '../../engine/registry/index.js';
import { registryRoundTrip } from './registry-round-trip.js';
import { describeError } from '../../core/errors.js';
import { ledgerFor, runDirOf } from '../../core/run-ledger.js';
import type { RunPhase } from './types.js';

/**
 * Portability through a registry: push the run's image to a docker-registry
 * on 127.0.0.1, pull it into an empty store, compare digests, run it.
 * Writes results.facts.registry and appends to results.facts.portability.
 * Skipped (with the reason in facts.registry) when docker-registry is absent.
 */
export const registryPhase: RunPhase = {
  name: 'registry',
  async run(ctx) {
    const facts = (ctx.results.facts ??= {});
    const avail = registryAvailable();
    if (!avail.ok) {
      facts.registry = { status: 'skipped', reason: avail.reason };
      return;
    }
    try {
      ctx.progress('registry: push/pull round-trip through docker-registry on 127.0.0.1');
      const store = await openStore(ctx.image.storeRoot);
      const { fact, evidence } = await registryRoundTrip({ store, image: ctx.image, scratch: path.join(ctx.env.home.runs, ctx.env.runId, 'registry'), ledger: ledgerFor(runDirOf(ctx.env.home, ctx.env.runId)) });
      facts.registry = fact;
      const list = facts.portability ?? [];
      list.push(evidence);
      facts.portability = list;
      if (!fact.identical || !fact.ranAfter) ctx.results.warnings.push(`registry: round-trip ${fact.identical ? '' : 'changed the digest '}${fact.ranAfter ? '' : 'and the pulled image did not run'}`.trim());
    } catch (err) {
      facts.registry = { status: 'failed', error: describeError(err) };
      ctx.results.warnings.push(`registry: round-trip failed: ${describeError(err).message}`);
    }
  },
};
