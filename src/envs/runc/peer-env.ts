import type { PeerAddress, Prepared, WorkloadInvocation } from '../types.js';
import type { EnvContext } from '../context.js';
import type { ImageRef } from '../../image/types.js';
import { BenchError } from '../../core/errors.js';
import { launchTimed, type TimedProcess } from '../launch.js';
import { TimedEnvironment } from '../base.js';
import { defaultSnapshots, type SnapshotFn } from '../container/shared.js';
import { mountPeerRootfs, type PeerRootfs } from './peer-rootfs.js';
import { PeerNetworks } from '../peer-networks.js';

export interface PeerPrepared extends Prepared {
  readonly rootfs: string;
}

/**
 * What the peer runtimes (runc, gVisor, bwrap, nspawn) share around their
 * own command line: the image's overlay, mounted once per prepare() in a
 * container group named after the backend; a run counter for ids; a veth
 * per networked run on the engine's bridge; and a teardown that gives back
 * the network, then the group (its mounts, cgroups, runtime roots, dirs).
 */
export abstract class PeerEnvironment extends TimedEnvironment {
  readonly kind = 'container' as const;
  readonly hostClock: boolean = true;
  protected peer: PeerRootfs | undefined;
  private n = 0;
  private nets: PeerNetworks | undefined;

  constructor(protected readonly ctx: EnvContext, private readonly snapshots: SnapshotFn = defaultSnapshots) {
    super();
  }

  /** Made on first use: a subclass's name is not set yet while this constructor runs. */
  protected get networks(): PeerNetworks {
    this.nets ??= new PeerNetworks(this.name, this.ctx.home, () => this.peer?.group.id);
    return this.nets;
  }

  /** Mounts the image's overlay; a second prepare() first cleans up the first (nothing leaked). */
  protected async mountPeer(image: ImageRef): Promise<PeerRootfs> {
    if (this.peer) await this.cleanup();
    this.peer = await mountPeerRootfs(this.ctx, this.name, this.snapshots, image);
    return this.peer;
  }

  protected prepared(image: ImageRef, peer: PeerRootfs): PeerPrepared {
    return { env: this.name, imageDigest: image.digest, rootfs: peer.rootfs };
  }

  /** The overlay prepare() mounted; start() before prepare() is an error. */
  protected requirePeer(): PeerRootfs {
    if (!this.peer) throw new BenchError('ENV_NOT_PREPARED', `${this.name}: start() before prepare()`);
    return this.peer;
  }

  /** Numbers this backend's runs (container ids, machine names). */
  protected nextRun(): number {
    return this.n++;
  }

  /** Spawns `argv` under the native timer and tracks it; `undo` runs in order when the run ends (an undefined one is skipped). */
  protected launch(argv: string[], w: WorkloadInvocation, ...undo: Array<(() => Promise<void>) | undefined>): TimedProcess {
    const tp = this.runs.track(launchTimed(this.ctx.nativeDir, argv, { token: w.token, timeoutMs: w.timeoutMs, cwd: '/' }));
    for (const fn of undo) if (fn) this.onRunDone(tp, fn);
    return tp;
  }

  /** Network workloads: each run's veth is on the engine's bridge; the host peer listens on its gateway. */
  async peerAddress(): Promise<PeerAddress> {
    return this.networks.peerAddress();
  }

  /** After the runs were killed and their undo ran (TimedEnvironment.cleanup): the network, then the group. */
  protected async teardown(): Promise<void> {
    await this.nets?.close();
    if (this.peer) await this.peer.group.close();
    this.peer = undefined;
  }
}
