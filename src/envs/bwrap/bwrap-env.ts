import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Availability, PeerAddress, Prepared, Running, WorkloadInvocation } from '../types.js';
import type { EnvContext } from '../context.js';
import type { ImageRef } from '../../image/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { BenchError } from '../../core/errors.js';
import { launchTimed } from '../launch.js';
import { BASE_ENV } from '../image-rootfs.js';
import { TimedEnvironment } from '../base.js';
import { defaultSnapshots, overlaySupported, whichSync, type SnapshotFn } from '../container/shared.js';
import { mountPeerRootfs, type PeerRootfs } from '../runc/peer-rootfs.js';
import { PeerNetworks } from '../runc/peer-networks.js';
import { bwrapArgs } from './bwrap-args.js';

const run = promisify(execFile);

export interface BwrapPrepared extends Prepared {
  readonly rootfs: string;
}

export class BwrapEnvironment extends TimedEnvironment {
  readonly name = 'bwrap';
  readonly kind = 'container' as const;
  private peer: PeerRootfs | undefined;
  private readonly networks: PeerNetworks;

  constructor(private readonly ctx: EnvContext, private readonly snapshots: SnapshotFn = defaultSnapshots) {
    super();
    this.networks = new PeerNetworks('bwrap', ctx.home, () => this.peer?.group.id);
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
    const net = await this.networks.forRun(w);
    const netns = net?.netnsPath ? { nsenter: whichSync('nsenter') ?? 'nsenter', netnsPath: net.netnsPath } : undefined;
    const argv = bwrapArgs(whichSync('bwrap') ?? 'bwrap', prep.rootfs, [IMAGE_PATHS.probe, 'ready', w.token, '--', ...w.argv], { ...BASE_ENV, ...w.env }, netns);
    const tp = this.runs.track(launchTimed(this.ctx.nativeDir, argv, { token: w.token, timeoutMs: w.timeoutMs, cwd: '/' }));
    if (net) this.onRunDone(tp, net.release);
    return tp;
  }

  /** Network workloads: bwrap runs inside a veth's namespace on the engine's bridge; the host peer listens on its gateway. */
  async peerAddress(): Promise<PeerAddress> {
    return this.networks.peerAddress();
  }

  /** After the runs were killed (TimedEnvironment.cleanup): what prepare() set up. */
  protected async teardown(): Promise<void> {
    await this.networks.close();
    if (this.peer) await this.peer.group.close();
    this.peer = undefined;
  }
}
