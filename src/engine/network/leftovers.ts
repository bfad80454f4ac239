import fsp from 'node:fs/promises';
import type { HomePaths } from '../../core/home.js';
import { listLeases } from './leases.js';
import { bridgeName, NETNS_DIR, netnsPrefix, vethPrefix } from './names.js';
import { listLinks } from './ip.js';
import { forwardLeftovers } from './firewall.js';

/** Every host object of this home's network that exists right now (tests assert it is empty after cleanup). */
export async function networkLeftovers(home: HomePaths): Promise<string[]> {
  const out: string[] = [];
  const links = await listLinks();
  if (links.includes(bridgeName(home.tag))) out.push(`bridge ${bridgeName(home.tag)}`);
  for (const l of links) if (l.startsWith(vethPrefix(home.tag))) out.push(`veth ${l}`);
  for (const n of await fsp.readdir(NETNS_DIR).catch(() => [] as string[])) if (n.startsWith(netnsPrefix(home.tag))) out.push(`netns ${n}`);
  for (const l of await listLeases(home)) out.push(`lease ${l.address} (${l.id})`);
  out.push(...(await forwardLeftovers(home.tag)));
  return out;
}
