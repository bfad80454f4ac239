import { execFile } from 'node:child_process';
import { promises as fs, readFileSync, statSync } from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseCgroupMounts } from '../engine/cgroups/detect.js';

const run = promisify(execFile);

/**
 * Host objects for the escape checks, all made by the harness and removed by
 * stop() (and by gc after a crash):
 * - a read-only loop device over a scratch file holding a token: reading the
 *   token through a mknod'd node = reading host data through a host device;
 * - an empty cgroup `isobench-sentinel-<pid>-<hex>` at the root of every
 *   hierarchy: seeing it in a cgroupfs mounted inside = that mount shows the
 *   host's root, not the environment's own cgroup;
 * - dev:ino of the engine's host binaries (the shim and the probe the
 *   sentinel process runs), looked for behind every /proc/<pid>/exe inside.
 */
export interface EscapeSentinels {
  loop?: { device: string; major: number; minor: number; token: string; file: string };
  cgroupName: string;
  cgroupDirs: string[];
  hostBinaries: Array<{ path: string; dev: number; ino: number }>;
  /** Why the loop device is missing, when it is. */
  loopError?: string;
  stop(): Promise<void>;
}

export const CGROUP_SENTINEL_PREFIX = 'isobench-sentinel-';

function majorMinor(rdev: number): { major: number; minor: number } {
  return { major: Math.floor(rdev / 256) & 0xfff, minor: (rdev & 0xff) | ((Math.floor(rdev / 4096)) & 0xfff00) };
}

async function makeLoop(dir: string): Promise<NonNullable<EscapeSentinels['loop']>> {
  const token = `isobench-loop-${crypto.randomBytes(12).toString('hex')}`;
  const file = path.join(dir, `loop-${crypto.randomBytes(6).toString('hex')}.img`);
  const data = Buffer.alloc(64 * 1024);
  data.write(`${token}\n`);
  await fs.writeFile(file, data, { mode: 0o600, flag: 'wx' });
  try {
    const { stdout } = await run('losetup', ['--find', '--show', '--read-only', file]);
    const device = stdout.trim();
    return { device, ...majorMinor(statSync(device).rdev), token, file };
  } catch (err) {
    await fs.rm(file, { force: true });
    throw err;
  }
}

/** Loop devices whose backing file lies under `dir` (gc: a crashed run's sentinel). */
export async function loopsBackedUnder(dir: string): Promise<string[]> {
  const { stdout } = await run('losetup', ['--list', '--noheadings', '--output', 'NAME,BACK-FILE']).catch(() => ({ stdout: '' }));
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return stdout.split('\n').map((l) => l.trim().split(/\s+/)).filter(([n, f]) => n && f && f.startsWith(prefix)).map(([n]) => n!);
}

export async function detachLoopsUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const dev of await loopsBackedUnder(dir)) {
    await run('losetup', ['--detach', dev]).then(() => out.push(dev), () => {});
  }
  return out;
}

function cgroupRoots(): string[] {
  try {
    return [...new Set(parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8')).map((m) => m.mountPoint))];
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Sentinel cgroups of dead harnesses (rmdir only: a cgroup with a task in it cannot be removed). */
export async function gcCgroupSentinels(): Promise<string[]> {
  const removed: string[] = [];
  for (const root of cgroupRoots()) {
    const names = await fs.readdir(root).catch(() => [] as string[]);
    for (const n of names) {
      const m = new RegExp(`^${CGROUP_SENTINEL_PREFIX}(\\d+)-[0-9a-f]+$`).exec(n);
      if (!m || alive(Number(m[1]))) continue;
      await fs.rmdir(path.join(root, n)).then(() => removed.push(path.join(root, n)), () => {});
    }
  }
  return removed;
}

export async function startEscapeSentinels(opts: { dir: string; nativeDir: string }): Promise<EscapeSentinels> {
  await fs.mkdir(opts.dir, { recursive: true, mode: 0o700 });
  const cgroupName = `${CGROUP_SENTINEL_PREFIX}${process.pid}-${crypto.randomBytes(6).toString('hex')}`;
  const cgroupDirs: string[] = [];
  let loop: EscapeSentinels['loop'];
  let loopError: string | undefined;
  const stop = async (): Promise<void> => {
    for (const d of cgroupDirs.splice(0)) await fs.rmdir(d).catch(() => {});
    if (loop) {
      const l = loop;
      loop = undefined;
      await run('losetup', ['--detach', l.device]).catch(() => {});
      await fs.rm(l.file, { force: true });
    }
    // rmdir, not rm -r: the dir only ever held the loop file; anything else left in it is a finding to keep.
    await fs.rmdir(opts.dir).catch(() => {});
  };
  try {
    try {
      loop = await makeLoop(opts.dir);
    } catch (err) {
      loopError = `no loop device: ${(err as Error).message.split('\n')[0]}`;
    }
    for (const root of cgroupRoots()) {
      const d = path.join(root, cgroupName);
      await fs.mkdir(d).then(() => cgroupDirs.push(d), () => {});
    }
    const hostBinaries: EscapeSentinels['hostBinaries'] = [];
    for (const name of ['isobench-nsexec', 'isobench-probe']) {
      const p = path.join(opts.nativeDir, name);
      try {
        const st = statSync(p);
        hostBinaries.push({ path: p, dev: st.dev, ino: st.ino });
      } catch { /* not built: nothing to look for */ }
    }
    return {
      get loop() { return loop; },
      cgroupName,
      cgroupDirs,
      hostBinaries,
      ...(loopError ? { loopError } : {}),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The probe's --facts entries for these sentinels. */
export function escapeFacts(s: EscapeSentinels | undefined): Record<string, string> {
  if (!s) return {};
  const out: Record<string, string> = { cgsentinel: s.cgroupName };
  if (s.loop) { out.loop = `${s.loop.major}:${s.loop.minor}`; out['loop-token'] = s.loop.token; }
  if (s.hostBinaries.length) out.hostbin = s.hostBinaries.map((b) => `${b.dev}:${b.ino}`).join('+');
  return out;
}
