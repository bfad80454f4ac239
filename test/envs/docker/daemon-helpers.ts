/** What the tests of isobench's own dockerd share: when they can run, and how they find and remove what it left. */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { resolveHome } from '../../../src/core/home.js';
import { stopDaemonOf } from '../../../src/envs/docker/daemon.js';

function which(bin: string): boolean {
  return (process.env.PATH ?? '/usr/sbin:/usr/bin').split(':').some((d) => fs.existsSync(path.join(d, bin)));
}

/** Why these tests cannot run here, or undefined. */
export const dockerdSkip = process.getuid?.() !== 0 ? 'needs root' : !which('dockerd') ? 'dockerd not installed (apt-get install docker.io)' : !which('unshare') ? 'unshare missing (util-linux)' : undefined;

/** PIDs (other than ours) whose command line contains needle. */
export function mentioning(needle: string): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid).filter((d) => {
    try { return fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle); } catch { return false; }
  }).map(Number);
}

/** Stops the daemon of the test home under tmp and removes tmp, unless something is still mounted under it. */
export async function removeDaemonTmp(tmp: string | undefined): Promise<void> {
  if (!tmp) return;
  await stopDaemonOf(resolveHome(path.join(tmp, 'home'))).catch(() => []);
  const mounted = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => (l.split(' ')[4] ?? '').startsWith(tmp));
  if (!mounted) await fsp.rm(tmp, { recursive: true, force: true });
}
