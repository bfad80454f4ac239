/**
 * Test helper: a private dockerd that touches nothing of a user's Docker. It
 * has its own socket, data-root, exec-root and pidfile under a temp dir, no
 * iptables rules and no bridge (so no host network change), and is stopped
 * by its PID. Tests that need it skip with dockerdUnavailable()'s reason.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const DOCKERD = '/usr/sbin/dockerd';
/** docker.io's client first: another docker CLI on PATH may not match this daemon. */
const DOCKER_CLIS = ['/usr/bin/docker', '/usr/local/bin/docker'];

export function dockerCli(): string | undefined {
  return DOCKER_CLIS.find((c) => fs.existsSync(c));
}

export function dockerdUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'a private dockerd needs root';
  if (!fs.existsSync(DOCKERD)) return 'dockerd is not installed (apt-get install docker.io; scripts/setup does)';
  if (!dockerCli()) return 'the docker client is not installed (apt-get install docker.io)';
  if (spawnSync('sh', ['-c', 'command -v containerd'], { stdio: 'ignore' }).status !== 0) return 'containerd is not installed (docker.io depends on it)';
  return undefined;
}

export interface PrivateDockerd {
  dir: string;
  socket: string;
  /** Runs the docker client against this daemon. */
  docker(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<string>;
  stop(): Promise<void>;
}

function mountsUnder(dir: string): string[] {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => !!m && (m === dir || m.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length);
}

export async function startDockerd(timeoutMs = 60_000): Promise<PrivateDockerd> {
  // A short path: the socket path must fit in sun_path (108 bytes), containerd's too.
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ibd-'));
  const socket = path.join(dir, 'docker.sock');
  const pidfile = path.join(dir, 'docker.pid');
  const log = fs.openSync(path.join(dir, 'dockerd.log'), 'a');
  const child: ChildProcess = spawn(DOCKERD, [
    '--host', `unix://${socket}`,
    '--data-root', path.join(dir, 'data'),
    '--exec-root', path.join(dir, 'exec'),
    '--pidfile', pidfile,
    '--iptables=false', '--ip6tables=false', '--ip-masq=false', '--bridge=none',
    '--storage-driver', 'vfs',
  ], { stdio: ['ignore', log, log], detached: false });
  fs.closeSync(log);
  const cli = dockerCli()!;
  const docker = async (args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> => {
    const p = run(cli, ['-H', `unix://${socket}`, ...args], { maxBuffer: 256 * 1024 * 1024, timeout: opts.timeoutMs ?? 300_000 });
    if (opts.input !== undefined) p.child.stdin?.end(opts.input);
    return (await p).stdout;
  };
  const stop = async (): Promise<void> => {
    const pid = child.pid;
    if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((res) => child.once('exit', () => res()));
      process.kill(pid, 'SIGTERM');
      const t = setTimeout(() => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }, 20_000);
      await exited;
      clearTimeout(t);
    }
    for (const m of mountsUnder(dir)) await run('umount', ['-l', m]).catch(() => undefined);
    if (mountsUnder(dir).length === 0) await fsp.rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      const text = await fsp.readFile(path.join(dir, 'dockerd.log'), 'utf8').catch(() => '');
      await stop();
      throw new Error(`private dockerd exited with ${child.exitCode}: ${text.slice(-800)}`);
    }
    try {
      await docker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 5000 });
      break;
    } catch {
      if (Date.now() > deadline) { await stop(); throw new Error(`private dockerd did not answer on ${socket} within ${timeoutMs} ms`); }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return { dir, socket, docker, stop };
}
