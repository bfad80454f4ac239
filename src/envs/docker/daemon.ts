import { promises as fs, existsSync, readFileSync, readdirSync, openSync, closeSync } from 'node:fs';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { HomePaths } from '../../core/home.js';
import { BenchError } from '../../core/errors.js';
import { processStartTime } from '../../engine/state/liveness.js';
import { whichSync } from '../container/shared.js';
import { dockerPaths, type DockerPaths } from './paths.js';
import { dockerdArgs } from './docker-args.js';

/** <home>/docker/daemon-owner.json: enough for gc to find our dockerd after a crash, and never another. */
interface DaemonRecord {
  pid: number;
  startTime: string | null;
  execRoot: string;
  ownerPid: number;
  ownerStartTime: string | null;
}

export interface DockerDaemon {
  paths: DockerPaths;
  pid: number;
  /** The daemon's start time (/proc), so a recycled pid is never taken for it. */
  startTime: string | null;
  version: string;
  stop(): Promise<string[]>;
}

function ping(socket: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: '/version', timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => { body += b.toString(); });
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 ? String((JSON.parse(body) as { Version?: string }).Version ?? 'unknown') : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => { req.destroy(); resolve(undefined); });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/** Processes whose command line names our exec-root: the daemon's containerd and any shim. Found by path, killed by PID. */
function processesUsing(execRoot: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(execRoot)) out.push(Number(d));
    } catch {
      // Exited meanwhile.
    }
  }
  return out;
}

async function terminate(pid: number, graceMs: number): Promise<void> {
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  for (let t = 0; t < graceMs && alive(pid); t += 100) await sleep(100);
  if (alive(pid)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  for (let t = 0; t < 5000 && alive(pid); t += 50) await sleep(50);
}

/** The daemon startDaemon() returned is still that process (not exited, pid not reused). */
export function daemonAlive(d: Pick<DockerDaemon, 'pid' | 'startTime'>): boolean {
  return alive(d.pid) && processStartTime(d.pid) === d.startTime;
}

/**
 * Stops what a daemon record names (when the pid still is that dockerd),
 * then every process still using its exec-root, then removes the exec-root.
 * Used by stop() and by gc after a crashed run.
 */
export async function stopDaemonOf(home: HomePaths, opts: { onlyIfOwnerGone?: boolean } = {}): Promise<string[]> {
  const p = dockerPaths(home);
  const stopped: string[] = [];
  let rec: DaemonRecord | undefined;
  try { rec = JSON.parse(await fs.readFile(p.record, 'utf8')) as DaemonRecord; } catch { rec = undefined; }
  // gc: a daemon whose harness still runs is in use, not left over.
  if (opts.onlyIfOwnerGone && rec && alive(rec.ownerPid) && processStartTime(rec.ownerPid) === rec.ownerStartTime) return [];
  if (rec && alive(rec.pid) && processStartTime(rec.pid) === rec.startTime) {
    await terminate(rec.pid, 20_000);
    stopped.push(`dockerd ${rec.pid}`);
  }
  for (const pid of processesUsing(p.execRoot)) {
    await terminate(pid, 5_000);
    stopped.push(`process ${pid} (uses ${p.execRoot})`);
  }
  // Its mounts lived in the daemon's own mount namespace and died with it; only plain files are left here.
  const mounted = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => (l.split(' ')[4] ?? '').startsWith(p.execRoot));
  if (!mounted) await fs.rm(p.execRoot, { recursive: true, force: true });
  await fs.rm(p.record, { force: true });
  return stopped;
}

/**
 * Starts isobench's own dockerd for this home and waits until it answers.
 * It runs in a mount namespace of its own (unshare), so its overlay mounts
 * never appear on the host and vanish with it; if a system containerd
 * socket exists, that namespace hides it, so the daemon starts its own
 * containerd under our exec-root instead of borrowing the user's. It gets
 * SIGTERM if the harness dies (setpriv --pdeathsig) and gc stops it by its
 * recorded pid otherwise.
 */
export async function startDaemon(home: HomePaths, timeoutMs = 60_000): Promise<DockerDaemon> {
  const p = dockerPaths(home);
  const dockerd = whichSync('dockerd');
  if (!dockerd) throw new BenchError('ENV_UNAVAILABLE', 'dockerd is not installed', { hint: 'apt-get install docker.io' });
  await stopDaemonOf(home); // a previous run's, if it crashed
  for (const d of [p.dir, p.dataRoot, p.execRoot]) await fs.mkdir(d, { recursive: true, mode: 0o700 });
  await fs.writeFile(p.configFile, '{}\n');
  await fs.mkdir(p.etcDir, { recursive: true, mode: 0o700 });
  // In the daemon's own mount namespace only: hide a system containerd, and give it our dir as /etc/docker
  // (dockerd 20.10 writes its trust key there and has no flag to move it).
  const hide = [
    'if [ -d /run/containerd ]; then mount -t tmpfs -o size=64k,mode=0700 isobench-hide /run/containerd || exit 1; fi',
    'etc=$1; shift',
    'if [ -d /etc/docker ]; then mount --bind "$etc" /etc/docker || exit 1; fi',
    'exec "$@"',
  ].join('; ');
  const argv = [
    ...(whichSync('setpriv') ? [whichSync('setpriv')!, '--pdeathsig', 'SIGTERM', '--'] : []),
    'unshare', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', hide, 'sh', p.etcDir, ...dockerdArgs(dockerd, p),
  ];
  const log = openSync(p.log, 'a');
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', log, log] });
  closeSync(log);
  const pid = child.pid;
  if (!pid) throw new BenchError('DOCKER_START_FAILED', `cannot start ${argv.join(' ')}`);
  let exited: string | undefined;
  child.once('exit', (code, sig) => { exited = `exit ${code ?? sig}`; });
  await new Promise((r) => setTimeout(r, 50));
  const rec: DaemonRecord = { pid, startTime: processStartTime(pid), execRoot: p.execRoot, ownerPid: process.pid, ownerStartTime: processStartTime(process.pid) };
  await fs.writeFile(p.record, JSON.stringify(rec));
  const t0 = Date.now();
  let version: string | undefined;
  while (!version && !exited && Date.now() - t0 < timeoutMs) {
    version = await ping(p.socket);
    if (!version) await sleep(200);
  }
  if (!version) {
    await stopDaemonOf(home);
    const tail = (await fs.readFile(p.log, 'utf8').catch(() => '')).trim().split('\n').slice(-5).join('\n');
    throw new BenchError('DOCKER_START_FAILED', `our dockerd did not answer on ${p.socket} within ${timeoutMs / 1000} s (${exited ?? 'still running'}): ${tail}`, { hint: `see ${p.log}` });
  }
  return { paths: p, pid, startTime: rec.startTime, version, stop: () => stopDaemonOf(home) };
}
