import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import { detachNetwork } from './attach.js';
import { listLeases } from './leases.js';
import { NETNS_DIR, netnsPrefix, networkDir, vethHostName, vethPrefix } from './names.js';
import { ip, listLinks } from './ip.js';
import { removeBridge, withBridgeLock } from './bridge.js';

export interface NetworkGcReport {
  containers: string[];
  removed: string[];
}

/**
 * Removes the network of every container of this home that no longer
 * exists (no <home>/containers/<id>), then veths of ours nobody owns, then
 * the bridge when no lease is left. `exists` may be given by the engine's gc.
 */
/** A container exists while its dir does, or (group runs "<group>-<n>") while its group's dir does. */
function containerExists(home: HomePaths, id: string): boolean {
  if (fs.existsSync(path.join(home.containers, id))) return true;
  const dash = id.lastIndexOf('-');
  return dash > 0 && /^\d+$/.test(id.slice(dash + 1)) && fs.existsSync(path.join(home.containers, id.slice(0, dash)));
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
    if ((await listLeases(home)).length === 0 && (await removeBridge(home))) report.removed.push('bridge');
  });
  return report;
}
