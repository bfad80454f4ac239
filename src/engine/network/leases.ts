import fsp from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import { NetworkError } from './errors.js';
import { networkDir } from './names.js';
import type { Subnet } from './subnet.js';

/**
 * Address leases as files <home>/network/leases/<address> holding the
 * container id, created with O_EXCL: two concurrent starts can never get
 * the same address, with no lock and no daemon.
 */
export function leaseDir(home: HomePaths): string {
  return path.join(networkDir(home), 'leases');
}

export async function allocateAddress(home: HomePaths, subnet: Subnet, id: string): Promise<string> {
  const dir = leaseDir(home);
  await fsp.mkdir(dir, { recursive: true });
  for (let host = 2; host <= 254; host++) {
    const addr = `${subnet.prefix}.${host}`;
    try {
      await fsp.writeFile(path.join(dir, addr), id, { flag: 'wx' });
      return addr;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new NetworkError('NET_NO_ADDRESS', `no free address left in ${subnet.cidr} (253 containers on the bridge)`, {
    hint: 'remove stopped containers (bench ctr rm) or run bench gc',
  });
}

export interface Lease {
  address: string;
  id: string;
}

export async function listLeases(home: HomePaths): Promise<Lease[]> {
  const dir = leaseDir(home);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const out: Lease[] = [];
  for (const n of names) {
    const id = await fsp.readFile(path.join(dir, n), 'utf8').catch(() => undefined);
    if (id !== undefined) out.push({ address: n, id });
  }
  return out;
}

/** Removes every lease of `id`; returns the addresses freed. */
export async function releaseAddresses(home: HomePaths, id: string): Promise<string[]> {
  const freed: string[] = [];
  for (const l of await listLeases(home)) {
    if (l.id === id) {
      await fsp.rm(path.join(leaseDir(home), l.address), { force: true });
      freed.push(l.address);
    }
  }
  return freed;
}
