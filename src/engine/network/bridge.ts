import path from 'node:path';
import fsp from 'node:fs/promises';
import type { HomePaths } from '../../core/home.js';
import { withFileLock } from '../store/lock.js';
import { bridgeName, networkDir } from './names.js';
import { ip, linkExists } from './ip.js';
import type { Subnet } from './subnet.js';
import { ensureForwardRules, removeForwardRules } from './firewall.js';

/**
 * Bridge creation/removal and veth attachment are serialized per home by a
 * lock file, so the last container leaving cannot delete the bridge while a
 * new one is being plugged into it.
 */
export async function withBridgeLock<T>(home: HomePaths, fn: () => Promise<T>): Promise<T> {
  await fsp.mkdir(networkDir(home), { recursive: true });
  return withFileLock(path.join(networkDir(home), 'bridge.lock'), fn);
}

/** Creates the home's bridge with the gateway address when missing. Call under withBridgeLock. */
export async function ensureBridge(home: HomePaths, subnet: Subnet): Promise<string> {
  const br = bridgeName(home.tag);
  if (!(await linkExists(br))) {
    await ip(['link', 'add', 'name', br, 'type', 'bridge']);
    await ip(['addr', 'add', `${subnet.gateway}/24`, 'dev', br]);
    await ip(['link', 'set', br, 'up']);
    // A bridge that a crashed run left without its rules would still work until a dockerd flips FORWARD to DROP.
    await ensureForwardRules(br, home.tag);
  }
  return br;
}

/** Deletes the bridge and its forwarding rules (no-op when absent). Call under withBridgeLock, once no lease is left. */
export async function removeBridge(home: HomePaths): Promise<boolean> {
  const br = bridgeName(home.tag);
  if (!(await linkExists(br))) return false;
  await ip(['link', 'del', br], { allowFail: true });
  await removeForwardRules(home.tag);
  return true;
}
