import crypto from 'node:crypto';
import type { RunPhase } from './types.js';
import type { VolumeFacts } from '../../results/types.js';
import { RUN_VOLUME_PREFIX } from '../gc-runs.js';
import { describeError } from '../../core/errors.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { imageRootfs } from '../../engine/rootfs/index.js';
import { openEngine, runContainer, waitContainer, readLogs, deleteContainer, type Engine } from '../../engine/container/index.js';
import { recordInLedger, runDirOf } from '../../core/run-ledger.js';
import { createVolume, removeVolume, resolveVolumeMounts, volumeDataDir } from '../../engine/volumes/index.js';

async function runToEnd(engine: Engine, id: string, lowerDirs: string[], mounts: Awaited<ReturnType<typeof resolveVolumeMounts>>, argv: string[]): Promise<{ exitCode: number | null; output: string }> {
  await runContainer(engine, { id, rootfs: { kind: 'overlay', lowerDirs }, mounts, argv }, undefined, { detach: true });
  const s = await waitContainer(engine, id, 60_000);
  return { exitCode: s.exitCode, output: await readLogs(engine, id) };
}

/**
 * The seed's "containers can persist data" with our engine: container A
 * writes a random token into a named volume and is removed; container B,
 * from the same image, reads it. Both containers and the volume are removed
 * afterwards, whatever happened.
 */
export const volumesPhase: RunPhase = {
  name: 'volumes',
  async run(ctx) {
    const facts = (ctx.results.facts ??= {});
    if (process.getuid?.() !== 0) {
      facts.volumes = { status: 'skipped', reason: 'needs root (containers of our engine)' } satisfies VolumeFacts;
      return;
    }
    if (!ctx.environments.some((e) => e.name === 'container')) {
      facts.volumes = { status: 'skipped', reason: 'the container environment is not part of this run' } satisfies VolumeFacts;
      return;
    }
    const home = ctx.env.home;
    const engine = openEngine(home, { nativeDir: ctx.env.nativeDir });
    const tag = crypto.randomBytes(4).toString('hex');
    const name = `${RUN_VOLUME_PREFIX}${tag}`;
    const ids = [`vol-${tag}-w`, `vol-${tag}-r`];
    try {
      ctx.progress('volumes: write in one container, remove it, read in the next');
      const { lowerDirs } = await imageRootfs(home, ctx.image.name);
      // In the ledger before it exists: gc removes it if this run is killed.
      recordInLedger(runDirOf(home, ctx.env.runId), { kind: 'volume', name });
      await createVolume(home, name);
      const mounts = await resolveVolumeMounts(home, [`${name}:/data`]);
      const token = crypto.randomBytes(8).toString('hex');
      const w = await runToEnd(engine, ids[0]!, lowerDirs, mounts, [IMAGE_PATHS.busybox, 'sh', '-c', `echo ${token} > /data/note`]);
      await deleteContainer(engine, ids[0]!);
      const r = await runToEnd(engine, ids[1]!, lowerDirs, mounts, [IMAGE_PATHS.busybox, 'cat', '/data/note']);
      const persisted = w.exitCode === 0 && r.exitCode === 0 && r.output.includes(token);
      facts.volumes = {
        status: 'ok',
        persisted,
        volumePath: volumeDataDir(home, name),
        detail: persisted
          ? `container ${ids[0]} wrote a random token into volume ${name} and was removed; container ${ids[1]} read the same token`
          : `writer exit ${w.exitCode}, reader exit ${r.exitCode}, reader output ${JSON.stringify(r.output.slice(0, 200))}`,
      } satisfies VolumeFacts;
    } catch (err) {
      facts.volumes = { status: 'failed', reason: describeError(err).message } satisfies VolumeFacts;
      ctx.results.warnings.push(`volumes: ${describeError(err).message}`);
    } finally {
      for (const id of ids) await deleteContainer(engine, id, { force: true }).catch(() => {});
      await removeVolume(home, name).catch(() => {});
    }
  },
};
