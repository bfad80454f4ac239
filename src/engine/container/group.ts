import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Engine } from './engine.js';
import { shimPath, requireRoot } from './engine.js';
import { normalizeSpec, type ContainerOptions, type ContainerSpec, type ImageDefaults } from '../spec/container-spec.js';
import { shimRunArgs, type ShimRunFiles } from '../spec/shim-args.js';
import { pathsIn, type ContainerPaths } from '../rootfs/paths.js';
import { unmountUnder } from '../rootfs/mounts.js';
import { processStartTime } from '../state/liveness.js';
import { writeOwner } from '../state/store.js';
import type { OwnerRecord } from '../state/types.js';
import { deleteRuncLeftovers, deleteRuntimeLeftovers } from '../gc/runc-leftovers.js';
import { detachNetwork } from '../network/attach.js';

/** One short-lived container of a group: the full shim argv and where its rw layer lives. */
export interface GroupRun {
  /** Container id, also its cgroup name: <group id>-<n>. */
  id: string;
  spec: ContainerSpec;
  paths: ContainerPaths;
  /** [shim, ...flags, '--', ...program]: spawn it as is (the harness times exactly this). */
  argv: string[];
}

/**
 * Containers owned by one long-lived process (the harness's `container`
 * arm, engine-facts, the peers' rootfs mounts). Nothing is written per
 * container before it starts: the shim creates its dirs and cgroup inside
 * the timed window; the group's owner.json (written once) lets `bench gc`
 * clean up after a crashed owner.
 */
export class ContainerGroup {
  private n = 0;
  private readonly runs = new Map<string, GroupRun>();

  private constructor(readonly engine: Engine, private readonly record: OwnerRecord) {}

  static async open(engine: Engine, id: string, purpose: string): Promise<ContainerGroup> {
    requireRoot();
    const record: OwnerRecord = {
      version: 1,
      id,
      ownerPid: process.pid,
      ownerStartTime: processStartTime(process.pid),
      purpose,
      cgroupPrefix: `${id}-`,
      runcRoots: [],
      createdAt: new Date().toISOString(),
    };
    await writeOwner(engine.home, record);
    return new ContainerGroup(engine, record);
  }

  get id(): string {
    return this.record.id;
  }

  get dir(): string {
    return path.join(this.engine.home.containers, this.record.id);
  }

  /** Builds the next container's argv; nothing touches the disk yet. */
  prepareRun(opts: Omit<ContainerOptions, 'id'>, image?: ImageDefaults, files: ShimRunFiles = {}): GroupRun {
    const n = this.n++;
    const id = `${this.record.id}-${n}`;
    const spec = normalizeSpec({ ...opts, id, hostname: opts.hostname ?? 'container' }, image);
    const paths = pathsIn(path.join(this.dir, String(n)));
    const plan = this.engine.cgroups.plan(this.engine.cgroupParent, id, spec.limits, spec.confinement);
    const run: GroupRun = { id, spec, paths, argv: [shimPath(this.engine), ...shimRunArgs(spec, paths, plan, files)] };
    this.runs.set(id, run);
    return run;
  }

  /** After the container exited: its cgroup and rw layer go. */
  async removeRun(run: GroupRun): Promise<void> {
    await unmountUnder(run.paths.dir);
    await this.engine.cgroups.remove(this.engine.cgroupParent, run.id);
    await detachNetwork(this.engine.home, run.id); // bridge network of this run, if any
    await fs.rm(run.paths.dir, { recursive: true, force: true });
    this.runs.delete(run.id);
  }

  /** A runc state root this group uses (deleted with `runc delete -f` by close/gc). */
  async addRuncRoot(root: string): Promise<void> {
    if (!this.record.runcRoots.includes(root)) this.record.runcRoots.push(root);
    await writeOwner(this.engine.home, this.record);
  }

  /** A state root of another OCI runtime (runsc) this group uses (force-deleted by close/gc). */
  async addRuntimeRoot(runtime: 'runsc', root: string): Promise<void> {
    const roots = (this.record.runtimeRoots ??= []);
    if (!roots.some((r) => r.root === root)) roots.push({ runtime, root });
    await writeOwner(this.engine.home, this.record);
  }

  /** Removes every run, mount, cgroup and dir of the group. Idempotent. */
  async close(): Promise<void> {
    for (const run of [...this.runs.values()]) await this.removeRun(run).catch(() => {});
    for (const root of this.record.runcRoots) await deleteRuncLeftovers(root);
    for (const r of this.record.runtimeRoots ?? []) await deleteRuntimeLeftovers(r);
    await unmountUnder(this.dir);
    for (const name of await this.engine.cgroups.list(this.engine.cgroupParent)) {
      if (name.startsWith(this.record.cgroupPrefix)) await this.engine.cgroups.remove(this.engine.cgroupParent, name).catch(() => {});
    }
    await this.engine.cgroups.removeParentIfEmpty(this.engine.cgroupParent);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
