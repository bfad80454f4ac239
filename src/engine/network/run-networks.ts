import type { HomePaths } from '../../core/home.js';
import type { NetworkSpec } from '../spec/container-spec.js';
import { attachNetwork, detachNetwork, holdBridge } from './attach.js';

/**
 * Bridge networks for the short-lived containers of one group (the
 * harness's container arm in the network scenario): the bridge is held for
 * the host peer while the group lives, each run gets its own veth + netns
 * (ids "<group>-net<n>", so gc ties them to the group) and loses it after.
 */
export class RunNetworks {
  private n = 0;
  private held: { gateway: string } | undefined;

  constructor(private readonly home: HomePaths, private readonly groupId: string) {}

  /** The host peer binds the bridge gateway; the container connects to it. */
  async peerAddress(): Promise<{ listen: string; connect: string }> {
    this.held ??= await holdBridge(this.home, `${this.groupId}-peer`);
    return { listen: this.held.gateway, connect: this.held.gateway };
  }

  async forRun(): Promise<{ network: NetworkSpec; release: () => Promise<void> }> {
    const id = `${this.groupId}-net${this.n++}`;
    const rec = await attachNetwork(this.home, id);
    return { network: { mode: 'netns', path: rec.netnsPath }, release: async () => { await detachNetwork(this.home, id); } };
  }

  async close(): Promise<void> {
    if (this.held) await detachNetwork(this.home, `${this.groupId}-peer`);
    this.held = undefined;
  }
}
