import { existsSync } from 'node:fs';
import type { Availability, PeerAddress, Prepared, Running, WorkloadInvocation } from '../types.js';
import { PeerNetworks } from '../peer-networks.js';
import type { EnvContext } from '../context.js';
import type { ImageRef } from '../../image/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { BenchError } from '../../core/errors.js';
import { launchTimed, timerPath } from '../launch.js';
import { BASE_ENV } from '../image-rootfs.js';
import { TimedEnvironment } from '../base.js';
import { openEngine, ContainerGroup, imageDefaults, detectCgroups, type Engine, type ImageDefaults } from '../../engine/index.js';
import { defaultSnapshots, groupId, containerLimits, assertProbe, overlaySupported, type SnapshotFn } from './shared.js';
import { weakenedOptions } from './weaken.js';

export interface ContainerPrepared extends Prepared {
  readonly lowerDirs: string[];
  readonly defaults: ImageDefaults;
  readonly image: { name: string; digest: string };
}

export interface ContainerEnvOptions {
  snapshots?: SnapshotFn;
  /** Adds --trace: the shim prints per-step durations before the ready token (cut from the output). */
  trace?: boolean;
}

/**
 * isobench's own engine: per round a NEW container (fresh rw layer, new
 * pid/mnt/net/ipc/uts/cgroup namespaces, its own cgroup, pivot_root) from the
 * shared snapshot dirs. The timed spawn is the shim itself, started by the
 * native timer: everything per container (dirs, cgroup + limits, namespaces,
 * mounts, caps) happens inside the spawn -> ready window. Per image (untimed,
 * prepare): layer extraction, once, shared by every container.
 */
export class ContainerEnvironment extends TimedEnvironment {
  readonly name = 'container';
  readonly kind = 'container' as const;
  readonly hostClock = true;
  /** Network scenario only: bridge + veth per run; other scenarios keep the loopback-only netns. */
  private readonly networks: PeerNetworks;
  private group: ContainerGroup | undefined;
  private engine: Engine | undefined;
  private readonly snapshots: SnapshotFn;

  constructor(private readonly ctx: EnvContext, private readonly opts: ContainerEnvOptions = {}) {
    super();
    this.snapshots = opts.snapshots ?? defaultSnapshots;
    this.networks = new PeerNetworks('container', ctx.home, () => this.group?.id);
  }

  async available(): Promise<Availability> {
    if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root (namespaces, overlayfs, cgroups): run as root' };
    if (!existsSync(`${this.ctx.nativeDir}/isobench-nsexec`)) return { ok: false, reason: `${this.ctx.nativeDir}/isobench-nsexec is missing: run \`npm run build\`` };
    if (!existsSync(timerPath(this.ctx.nativeDir))) return { ok: false, reason: `${timerPath(this.ctx.nativeDir)} is missing: run \`npm run build\`` };
    if (!overlaySupported()) return { ok: false, reason: 'the kernel has no overlayfs: modprobe overlay' };
    try {
      const cg = detectCgroups();
      return { ok: true, description: `isobench engine: overlay rootfs, pid/mnt/net/ipc/uts/cgroup namespaces, cgroup v${cg.version} (own cgroup in every hierarchy, device allow-list), pivot_root, 14 caps, no_new_privs, seccomp filter`, facts: { cgroupVersion: String(cg.version) } };
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
  }

  async prepare(image: ImageRef): Promise<ContainerPrepared> {
    // A second prepare() replaces the first (its group is cleaned up, not leaked).
    if (this.group) await this.cleanup();
    const lowerDirs = await this.snapshots(this.ctx.home, image);
    assertProbe(lowerDirs);
    this.engine = openEngine(this.ctx.home, { nativeDir: this.ctx.nativeDir });
    this.group = await ContainerGroup.open(this.engine, groupId('ctr', this.ctx), `container arm of run ${this.ctx.runId}`);
    return { env: this.name, imageDigest: image.digest, lowerDirs, defaults: imageDefaults(image), image: { name: image.name, digest: image.digest } };
  }

  async start(p: Prepared, w: WorkloadInvocation): Promise<Running> {
    const prep = p as ContainerPrepared;
    const group = this.group;
    if (!group) throw new BenchError('ENV_NOT_PREPARED', 'container: start() before prepare()');
    const net = await this.networks.forRun(w);
    const run = group.prepareRun({
      ...(net ? { network: net.network } : {}),
      rootfs: { kind: 'overlay', lowerDirs: prep.lowerDirs },
      argv: [IMAGE_PATHS.probe, 'ready', w.token, '--', ...w.argv],
      env: { ...BASE_ENV, ...w.env },
      cwd: '/',
      limits: containerLimits(w.limits),
      image: prep.image,
      ...weakenedOptions(this.ctx.testOptions?.['container.weaken']),
    }, prep.defaults, this.opts.trace ? { trace: true } : {});
    const tp = this.runs.track(launchTimed(this.ctx.nativeDir, run.argv, { token: w.token, timeoutMs: w.timeoutMs, env: {}, cwd: '/' }));
    // The container's rw layer and cgroup go after its exit (outside both timed figures), then its veth.
    this.onRunDone(tp, () => group.removeRun(run));
    if (net) this.onRunDone(tp, net.release);
    return tp;
  }

  /** The host peer listens on the engine bridge's gateway; each run's veth reaches it. */
  async peerAddress(): Promise<PeerAddress> {
    return this.networks.peerAddress();
  }

  /** After the runs were killed and their undo ran (TimedEnvironment.cleanup): what prepare() set up. */
  protected async teardown(): Promise<void> {
    await this.networks.close();
    if (this.group) await this.group.close();
    this.group = undefined;
  }
}
