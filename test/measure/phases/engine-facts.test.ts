import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { engineFactsPhase } from '../../../src/measure/phases/engine-facts.js';
import type { EngineFacts } from '../../../src/results/types.js';
import type { PhaseContext } from '../../../src/measure/phases/types.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { makeTestHome, skipReason, type TestHome } from '../../engine/fixtures/hand-rootfs.js';

const reason = skipReason();
let t: TestHome | undefined;
afterEach(() => { t?.cleanup(); t = undefined; });

function ctxFor(t: TestHome, prepared: Map<string, unknown>): PhaseContext {
  return {
    results: { facts: {} } as unknown as PhaseContext['results'],
    image: {} as PhaseContext['image'],
    environments: [],
    prepared: prepared as PhaseContext['prepared'],
    env: { home: t.home, nativeDir: NATIVE_DIR, runId: `facts${process.pid}`, log: () => {} },
    outDir: t.home.root,
    progress: () => {},
  };
}

describe.skipIf(reason !== '')(`engine-facts phase (real) ${reason}`, () => {
  it('20 containers at once: small rw layers, nothing copied, snapshots unchanged, nothing left', async () => {
    t = makeTestHome();
    const ctx = ctxFor(t, new Map([['container', { env: 'container', imageDigest: 'sha256:x', lowerDirs: [t.lower] }]]));
    await engineFactsPhase.run(ctx);
    const f = ctx.results.facts!.engine as EngineFacts;
    expect(f.status, f.reason).toBe('ok');
    expect(f.allRunningAtOnce).toBe(true);
    expect(f.rwBytesPerContainer).toHaveLength(20);
    expect(f.imageBytes).toBeGreaterThan(1_000_000);
    for (const b of f.rwBytesPerContainer) {
      expect(b).toBeGreaterThan(0);
      expect(b).toBeLessThan(f.imageBytes / 20);
    }
    expect(f.copiedImageBytes).toBe(0);
    expect(f.snapshotsUnchanged).toBe(true);
    for (const step of ['cgroup', 'clone', 'join-cgroup', 'rootfs-mount', 'pivot', 'caps-nnp', 'total']) expect(f.startupBreakdownMs![step], step).toBeGreaterThan(0);
    expect(f.startupBreakdownNoNetMs!['hostname-lo']).toBeLessThan(f.startupBreakdownMs!['hostname-lo']! + 1);
    expect(f.teardownMs).toBeGreaterThan(0);
    expect(readdirSync(t.home.containers)).toEqual([]);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(t.home.root);
  }, 60_000);

  it('is skipped with a reason when the container arm was not prepared', async () => {
    t = makeTestHome();
    const ctx = ctxFor(t, new Map());
    await engineFactsPhase.run(ctx);
    expect((ctx.results.facts!.engine as EngineFacts).status).toBe('skipped');
  });
});
