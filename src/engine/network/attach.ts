import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import { homeSubnet } from './subnet.js';
import { allocateAddress, listLeases, releaseAddresses } from './leases.js';
import { ensureBridge, removeBridge, withBridgeLock } from './bridge.js';
import { ip, ipBatch, linkExists } from './ip.js';
import { netnsName, netnsPath, networkDir, vethHostName, vethPeerTempName } from './names.js';
import { killProxy, spawnProxy, type PortMapping } from './publish.js';
import { NetworkError } from './errors.js';

/** <home>/network/containers/<id>.json: what detach and gc need to undo. */
export interface ContainerNetwork {
  id: string;
  mode: 'bridge';
  netns: string;
  netnsPath: string;
  address: string;
  gateway: string;
  cidr: string;
  bridge: string;
  vethHost: string;
  publish: PortMapping[];
  proxyPids: number[];
}

function recordPath(home: HomePaths, id: string): string {
  return path.join(networkDir(home), 'containers', `${id}.json`);
}

export async function readNetworkRecord(home: HomePaths, id: string): Promise<ContainerNetwork | undefined> {
  try {
    return JSON.parse(await fsp.readFile(recordPath(home, id), 'utf8')) as ContainerNetwork;
  } catch {
    return undefined;
  }
}

export interface AttachOptions {
  publish?: PortMapping[];
}

/**
 * Gives container `id` a network namespace on the home's bridge: a lease,
 * a netns (ip netns add, so it exists before the container and the shim
 * joins it with --netns), a veth pair (host end on the bridge, the other end
 * eth0 inside) with the address and a default route via the bridge, lo up,
 * and a 127.0.0.1 proxy per published port. Undone by detachNetwork, also
 * on failure half-way.
 */
export async function attachNetwork(home: HomePaths, id: string, opts: AttachOptions = {}): Promise<ContainerNetwork> {
  const subnet = await homeSubnet(home);
  const ns = netnsName(home.tag, id);
  const rec: ContainerNetwork = {
    id, mode: 'bridge', netns: ns, netnsPath: netnsPath(home.tag, id), address: '', gateway: subnet.gateway, cidr: subnet.cidr,
    bridge: '', vethHost: vethHostName(home.tag, id), publish: opts.publish ?? [], proxyPids: [],
  };
  await fsp.mkdir(path.dirname(recordPath(home, id)), { recursive: true });
  // Claim the id first (O_EXCL): a second attach of a live id must fail without undoing the first one's network.
  try {
    await fsp.writeFile(recordPath(home, id), JSON.stringify(rec), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw new NetworkError('NET_IN_USE', `container ${id} already has a network`, { hint: 'use another container name, or remove the container first' });
  }
  try {
    rec.address = await allocateAddress(home, subnet, id);
    // Rewritten before any host object exists, so detach/gc can always find what to undo.
    await fsp.writeFile(recordPath(home, id), JSON.stringify(rec));
    await withBridgeLock(home, async () => {
      rec.bridge = await ensureBridge(home, subnet);
      const peer = vethPeerTempName(home.tag, id);
      // One `ip` process for the host side, one inside the netns: each exec costs ~10-20 ms on the start path.
      await ipBatch([
        ['netns', 'add', ns],
        ['link', 'add', rec.vethHost, 'type', 'veth', 'peer', 'name', peer, 'netns', ns],
        ['link', 'set', rec.vethHost, 'master', rec.bridge, 'up'],
      ]);
      await ipBatch([
        ['link', 'set', peer, 'name', 'eth0'],
        ['addr', 'add', `${rec.address}/24`, 'dev', 'eth0'],
        ['link', 'set', 'eth0', 'up'],
        ['link', 'set', 'lo', 'up'],
        ['route', 'add', 'default', 'via', subnet.gateway],
      ], { netns: ns });
    });
    for (const p of rec.publish) {
      rec.proxyPids.push(await spawnProxy(p, rec.address, home.tag));
      await fsp.writeFile(recordPath(home, id), JSON.stringify(rec));
    }
    await fsp.writeFile(recordPath(home, id), JSON.stringify(rec));
    return rec;
  } catch (err) {
    await detachNetwork(home, id).catch(() => {});
    throw err;
  }
}

export interface DetachReport {
  id: string;
  removed: string[];
}

/**
 * Undoes attachNetwork for `id`; idempotent and cheap when the container
 * never had a bridge network (one stat, no `ip` call). Removes the bridge
 * when the last lease is gone.
 */
export async function detachNetwork(home: HomePaths, id: string): Promise<DetachReport> {
  const removed: string[] = [];
  const rec = await readNetworkRecord(home, id);
  const ns = netnsPath(home.tag, id);
  if (!rec && !fs.existsSync(ns)) {
    const freed = await releaseAddresses(home, id);
    return { id, removed: freed.map((a) => `lease ${a}`) };
  }
  for (const pid of rec?.proxyPids ?? []) if (killProxy(pid, home.tag)) removed.push(`proxy ${pid}`);
  if (fs.existsSync(ns)) {
    await ip(['netns', 'del', netnsName(home.tag, id)], { allowFail: true });
    removed.push(`netns ${netnsName(home.tag, id)}`);
  }
  const veth = vethHostName(home.tag, id);
  // Deleting the netns normally takes the pair with it; a pair whose peer never moved is still here.
  if (await linkExists(veth)) {
    await ip(['link', 'del', veth], { allowFail: true });
    removed.push(`veth ${veth}`);
  }
  for (const a of await releaseAddresses(home, id)) removed.push(`lease ${a}`);
  await fsp.rm(recordPath(home, id), { force: true });
  await withBridgeLock(home, async () => {
    if ((await listLeases(home)).length === 0 && (await removeBridge(home))) removed.push('bridge');
  });
  return { id, removed };
}

/**
 * Keeps the bridge up (with its gateway address) without a container: a
 * lease held by `id`, so a host-side peer can bind the gateway before the
 * first container of a scenario starts. Released by detachNetwork(id).
 */
export async function holdBridge(home: HomePaths, id: string): Promise<ContainerNetwork> {
  const subnet = await homeSubnet(home);
  const rec: ContainerNetwork = {
    id, mode: 'bridge', netns: '', netnsPath: '', address: '', gateway: subnet.gateway, cidr: subnet.cidr,
    bridge: '', vethHost: '', publish: [], proxyPids: [],
  };
  await fsp.mkdir(path.dirname(recordPath(home, id)), { recursive: true });
  await fsp.writeFile(recordPath(home, id), JSON.stringify(rec), { flag: 'wx' });
  try {
    rec.address = await allocateAddress(home, subnet, id);
    await withBridgeLock(home, async () => { rec.bridge = await ensureBridge(home, subnet); });
    await fsp.writeFile(recordPath(home, id), JSON.stringify(rec));
    return rec;
  } catch (err) {
    await detachNetwork(home, id).catch(() => {});
    throw err;
  }
}
