import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { buildWorkloadImage } from '../../../src/image/index.js';
import { portabilityPhase } from '../../../src/measure/phases/portability.js';
import type { OciArchiveFacts as OciArchiveFact } from '../../../src/results/types.js';
import type { PhaseContext } from '../../../src/measure/phases/types.js';
import type { PortabilityEvidence } from '../../../src/results/types.js';
import type { RunResults } from '../../../src/results/types.js';

const probe = path.join(NATIVE_DIR, 'isobench-probe');
const skip = process.getuid?.() !== 0 ? 'needs root (chroot)' : !fs.existsSync(probe) ? 'probe not built (npm run build)' : '';

let base: string;
beforeAll(async () => { base = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-port-')); });
afterAll(async () => { await fsp.rm(base, { recursive: true, force: true }); });

describe.skipIf(skip !== '')(`portability phase ${skip}`, () => {
  it('round-trips the image through an OCI archive into a fresh store and runs it; records what a chroot tree lacks', async () => {
    const home = resolveHome(path.join(base, 'home'));
    const image = await buildWorkloadImage(home);
    const results = { facts: {}, warnings: [] } as unknown as RunResults;
    const ctx: PhaseContext = {
      results, image, environments: [], prepared: new Map(),
      env: { home, nativeDir: NATIVE_DIR, runId: 'test-run', log: () => undefined },
      outDir: base, progress: () => undefined,
    };
    await portabilityPhase.run(ctx);
    const fact = results.facts!.ociArchive as OciArchiveFact;
    expect(fact.status, JSON.stringify(fact.error)).toBe('ok');
    expect(fact.archiveBytes).toBeGreaterThan(1_000_000);
    expect(fact.normalizedTarIdentical).toBe(true);
    const list = results.facts!.portability as PortabilityEvidence[];
    const ctr = list.find((p) => p.env === 'container')!;
    expect(ctr).toMatchObject({ method: 'oci-archive export/import', digestBefore: image.digest, digestAfter: image.digest, identical: true, ranAfter: true });
    const chroot = list.find((p) => p.env === 'chroot')!;
    expect(chroot.ranAfter).toBe(true);
    expect(chroot.identical).toBe(fact.plainTarIdentical);
    expect(chroot.detail).toContain('no manifest');
    expect(results.warnings).toEqual([]);
    // Scratch (second home, archive, trees) removed.
    expect(fs.existsSync(path.join(home.runs, 'test-run', 'portability'))).toBe(false);
    // The store we exported from is unchanged.
    await expect((await (await import('../../../src/engine/store/index.js')).openStore(home.store)).list()).resolves.toHaveLength(1);
  });
});
