import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EnvContext } from '../context.js';
import type { ImageRef } from '../../image/types.js';
import { openEngine, ContainerGroup, mountOverlay, type Engine } from '../../engine/index.js';
import { groupId, assertProbe, type SnapshotFn } from '../container/shared.js';

/**
 * The peers' root: one overlay of the very same snapshot dirs our engine
 * uses, mounted on the host in prepare() (runc and bwrap take a ready
 * directory), with one rw layer shared by all rounds. It lives in a
 * container group so a crashed harness leaves nothing `bench gc` cannot find.
 */
export interface PeerRootfs {
  engine: Engine;
  group: ContainerGroup;
  rootfs: string;
  lowerDirs: string[];
}

export async function mountPeerRootfs(ctx: EnvContext, prefix: string, snapshots: SnapshotFn, image: ImageRef): Promise<PeerRootfs> {
  const lowerDirs = await snapshots(ctx.home, image);
  assertProbe(lowerDirs);
  const engine = openEngine(ctx.home, { nativeDir: ctx.nativeDir });
  const group = await ContainerGroup.open(engine, groupId(prefix, ctx), `${prefix} arm of run ${ctx.runId}`);
  const upper = path.join(group.dir, 'upper');
  const work = path.join(group.dir, 'work');
  const rootfs = path.join(group.dir, 'rootfs');
  for (const d of [upper, work, rootfs]) await fs.mkdir(d, { recursive: true });
  try {
    await mountOverlay(lowerDirs, upper, work, rootfs);
  } catch (e) {
    await group.close();
    throw e;
  }
  return { engine, group, rootfs, lowerDirs };
}
