import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import { NetworkError } from './errors.js';
import { networkDir } from './names.js';
import { ip } from './ip.js';

/** A /24 of the home's bridge: gateway .1 on the bridge, containers .2-.254. */
export interface Subnet {
  /** e.g. "10.88.17.0/24" */
  cidr: string;
  /** e.g. "10.88.17" */
  prefix: string;
  gateway: string;
}

function subnetOf(x: number): Subnet {
  const prefix = `10.88.${x}`;
  return { cidr: `${prefix}.0/24`, prefix, gateway: `${prefix}.1` };
}

function toInt(a: string): number {
  return a.split('.').reduce((n, p) => (n << 8) + Number(p), 0) >>> 0;
}

/** True when the route's destination overlaps 10.88.x.0/24 (a default route does not count). */
function overlaps(dst: string, s: Subnet): boolean {
  const [addr, lenText] = dst.split('/');
  if (!addr || !/^\d+\.\d+\.\d+\.\d+$/.test(addr)) return false;
  const len = lenText === undefined ? 32 : Number(lenText);
  if (len === 0) return false;
  const common = Math.min(len, 24);
  const mask = common === 0 ? 0 : (~0 << (32 - common)) >>> 0;
  return ((toInt(addr) & mask) >>> 0) === ((toInt(`${s.prefix}.0`) & mask) >>> 0);
}

/**
 * The home's subnet, chosen once and kept in <home>/network/subnet.json:
 * 10.88.<x>.0/24 with x derived from the home tag, moved on while a host
 * route overlaps it (another home's bridge, a VPN...). The file is created
 * with O_EXCL so two processes of one home agree on the first choice.
 */
export async function homeSubnet(home: HomePaths): Promise<Subnet> {
  const file = path.join(networkDir(home), 'subnet.json');
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8')) as Subnet;
  } catch {
    // not chosen yet
  }
  const { stdout } = await ip(['-4', 'route', 'show', 'table', 'all']);
  const dsts = stdout.split('\n').map((l) => l.trim().split(/\s+/)).map((w) => (['local', 'broadcast', 'unicast'].includes(w[0] ?? '') ? w[1] : w[0]) ?? '').filter(Boolean);
  const start = crypto.createHash('sha256').update(home.tag).digest()[0]! % 250;
  let chosen: Subnet | undefined;
  for (let i = 0; i < 250 && !chosen; i++) {
    const s = subnetOf(((start + i) % 250) + 1);
    if (!dsts.some((d) => overlaps(d, s))) chosen = s;
  }
  if (!chosen) throw new NetworkError('NET_NO_SUBNET', 'every 10.88.x.0/24 overlaps a host route', { hint: 'remove stale bridges (bench gc in their homes)' });
  await fsp.mkdir(networkDir(home), { recursive: true });
  try {
    await fsp.writeFile(file, JSON.stringify(chosen), { flag: 'wx' });
    return chosen;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return JSON.parse(await fsp.readFile(file, 'utf8')) as Subnet;
  }
}
