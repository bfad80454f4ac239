import type { HomePaths } from '../core/home.js';
import type { PeerAddress, WorkloadInvocation } from './types.js';
import { RunNetworks } from '../engine/network/index.js';
import type { NetworkSpec } from '../engine/index.js';
import { BenchError } from '../core/errors.js';

/** One run's network: the netns to join (if the engine made one) and how to give it back. */
export interface PeerRunNetwork {
  /** As the engine takes it (our own containers). */
  readonly network: NetworkSpec;
  /** The same namespace by path, for the runtimes that join one (runc, nspawn, bwrap). */
  readonly netnsPath: string | undefined;
  readonly release: () => Promise<void>;
}

/**
 * The network path the engine's own containers and the peer runtimes (runc,
 * nspawn, bwrap) share for workloads that talk to a host peer: a veth per run
 * on the engine's bridge, the host peer on the bridge gateway. Made on first
 * use, for the container group prepare() opened; closed by the backend's
 * teardown().
 */
export class PeerNetworks {
  private networks: RunNetworks | undefined;

  /** `groupId` is the prepared peer group's id, undefined before prepare(). */
  constructor(private readonly env: string, private readonly home: HomePaths, private readonly groupId: () => string | undefined) {}

  /** A veth for this run when the workload has a host peer; undefined when it needs no network. */
  async forRun(w: WorkloadInvocation): Promise<PeerRunNetwork | undefined> {
    if (!w.hostPeer) return undefined;
    const net = await this.runNetworks().forRun();
    return { network: net.network, netnsPath: net.network.mode === 'netns' ? net.network.path : undefined, release: net.release };
  }

  peerAddress(): Promise<PeerAddress> {
    return this.runNetworks().peerAddress();
  }

  async close(): Promise<void> {
    if (this.networks) await this.networks.close();
    this.networks = undefined;
  }

  private runNetworks(): RunNetworks {
    const id = this.groupId();
    if (id === undefined) throw new BenchError('ENV_NOT_PREPARED', `${this.env}: network before prepare()`);
    this.networks ??= new RunNetworks(this.home, id);
    return this.networks;
  }
}
