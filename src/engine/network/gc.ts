import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import { detachNetwork } from './attach.js';
import { listLeases } from './leases.js';
import { NETNS_DIR, netnsPrefix, networkDir, vethHostName, vethPrefix } from './names.js';
import { ip, listLinks } from './ip.js';
import { removeBridge, withBridgeLock } from './bridge.js';
import { removeForwardRules } from './firewall.js';

export interface NetworkGcReport {
  containers: string[];
  removed: string[];
}

/**
 * Removes the network of every container of this home that no longer
 * exists (no <home>/containers/<id>), then veths of ours nobody owns, then
 * the bridge when no lease is left. `exists` may be given by the engine's gc.
 */
/**
 * A network's owner exists while its container dir does, or, for networks of
 * a container group ("<group>-<suffix>": per-run networks, the peer's bridge
 * hold), while the group's dir does (gc removes dead groups first).
 */
function containerExists(home: HomePaths, id: string): boolean {
  if (fs.existsSync(path.join(home.containers, id))) return true;
  for (let dash = id.indexOf('-'); dash > 0; dash = id.indexOf('-', dash + 1)) {
    if (fs.existsSync(path.join(home.containers, id.slice(0, dash), 'owner.json'))) return true;
  }
  return false;
}

export async function gcNetwork(home: HomePaths, exists: (id: string) => boolean = (id) => containerExists(home, id)): Promise<NetworkGcReport> {
  const ids = new Set<string>();
  for (const l of await listLeases(home)) ids.add(l.id);
  for (const f of await fsp.readdir(path.join(networkDir(home), 'containers')).catch(() => [] as string[])) if (f.endsWith('.json')) ids.add(f.slice(0, -5));
  for (const n of await fsp.readdir(NETNS_DIR).catch(() => [] as string[])) if (n.startsWith(netnsPrefix(home.tag))) ids.add(n.slice(netnsPrefix(home.tag).length));
  const report: NetworkGcReport = { containers: [], removed: [] };
  for (const id of ids) {
    if (exists(id)) continue;
    const r = await detachNetwork(home, id);
    report.containers.push(id);
    report.removed.push(...r.removed);
  }
  // A veth whose container record vanished (crash between link add and record write cannot happen, but a hand-deleted home can).
  const known = new Set([...ids].filter(exists));
  const liveVeths = new Set([...known].map((id) => vethHostName(home.tag, id)));
  for (const l of await listLinks()) {
    if (l.startsWith(vethPrefix(home.tag)) && !liveVeths.has(l)) {
      await ip(['link', 'del', l], { allowFail: true });
      report.removed.push(`veth ${l}`);
    }
  }
  await withBridgeLock(home, async () => {
    if ((await listLeases(home)).length === 0) {
      if (await removeBridge(home)) report.removed.push('bridge');
      // Also when the bridge is already gone: a crash between the two leaves the chain behind.
      report.removed.push(...(await removeForwardRules(home.tag)));
    }
  });
  return report;
}
