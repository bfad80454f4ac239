import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Availability, Environment, PeerAddress, Prepared, Running, WorkloadInvocation, WorkloadOutput } from '../types.js';
import { RunNetworks } from '../../engine/network/index.js';
import type { EnvContext } from '../context.js';
import type { ImageRef } from '../../image/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { BenchError } from '../../core/errors.js';
import { launchTimed } from '../launch.js';
import { BASE_ENV } from '../image-rootfs.js';
import { TimedEnvironment } from '../base.js';
import { defaultSnapshots, overlaySupported, whichSync, type SnapshotFn } from '../container/shared.js';
import { mountPeerRootfs, type PeerRootfs } from '../runc/peer-rootfs.js';
import { bwrapArgs } from './bwrap-args.js';

const run = promisify(execFile);

export interface BwrapPrepared extends Prepared {
  readonly rootfs: string;
}

export class BwrapEnvironment extends TimedEnvironment {
  readonly name = 'bwrap';
  readonly kind = 'container' as const;
  private peer: PeerRootfs | undefined;
  private readonly releases = new Map<Running, () => Promise<void>>();
  private networks: RunNetworks | undefined;

  constructor(private readonly ctx: EnvContext, private readonly snapshots: SnapshotFn = defaultSnapshots) {
    super();
  }

  async available(): Promise<Availability> {
    if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root (overlay mount of the image): run as root' };
    const bin = whichSync('bwrap');
    if (!bin) return { ok: false, reason: 'not installed: apt-get install bubblewrap' };
    if (!overlaySupported()) return { ok: false, reason: 'the kernel has no overlayfs: modprobe overlay' };
    const v = await run(bin, ['--version']).then((r) => r.stdout.trim().replace(/^bubblewrap /, ''), () => 'unknown');
    return { ok: true, version: v, description: `bubblewrap ${v}: --unshare-all over an overlay of the same image, 14 caps; no cgroup limits, no masked paths` };
  }

  async prepare(image: ImageRef): Promise<BwrapPrepared> {
    if (this.peer) await this.cleanup();
    this.peer = await mountPeerRootfs(this.ctx, 'bwrap', this.snapshots, image);
    return { env: this.name, imageDigest: image.digest, rootfs: this.peer.rootfs };
  }

  async start(p: Prepared, w: WorkloadInvocation): Promise<Running> {
    const prep = p as BwrapPrepared;
    if (!this.peer) throw new BenchError('ENV_NOT_PREPARED', 'bwrap: start() before prepare()');
    const net = w.hostPeer ? await this.runNetworks().forRun() : undefined;
    const netns = net && net.network.mode === 'netns' ? { nsenter: whichSync('nsenter') ?? 'nsenter', netnsPath: net.network.path } : undefined;
    const argv = bwrapArgs(whichSync('bwrap') ?? 'bwrap', prep.rootfs, [IMAGE_PATHS.probe, 'ready', w.token, '--', ...w.argv], { ...BASE_ENV, ...w.env }, netns);
    const tp = this.runs.track(launchTimed(this.ctx.nativeDir, argv, { token: w.token, timeoutMs: w.timeoutMs, cwd: '/' }));
    if (net) this.releases.set(tp, net.release);
    return tp;
  }

  override async wait(r: Running): Promise<WorkloadOutput> {
    try {
      return await this.runs.wait(r);
    } finally {
      const release = this.releases.get(r);
      this.releases.delete(r);
      if (release) await release();
    }
  }

  /** Network workloads: bwrap runs inside a veth's namespace on the engine's bridge; the host peer listens on its gateway. */
  async peerAddress(): Promise<PeerAddress> {
    if (!this.peer) throw new BenchError('ENV_NOT_PREPARED', 'bwrap: network before prepare()');
    return this.runNetworks().peerAddress();
  }

  private runNetworks(): RunNetworks {
    if (!this.peer) throw new BenchError('ENV_NOT_PREPARED', 'bwrap: network before prepare()');
    this.networks ??= new RunNetworks(this.ctx.home, this.peer.group.id);
    return this.networks;
  }

  /** After the runs were killed (TimedEnvironment.cleanup): what prepare() set up. */
  protected async teardown(): Promise<void> {
    for (const release of this.releases.values()) await release().catch(() => {});
    this.releases.clear();
    if (this.networks) await this.networks.close();
    this.networks = undefined;
    if (this.peer) await this.peer.group.close();
    this.peer = undefined;
  }
}
