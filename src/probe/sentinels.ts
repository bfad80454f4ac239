import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { BenchError } from '../core/errors.js';

const run = promisify(execFile);

/** Host objects an environment must (not) be able to see; all created by us, all removed by stop(). */
export interface SentinelFacts {
  /** PID of the sentinel process; its argv holds `token`. */
  pid: number;
  token: string;
  /** SysV shm key (owned by the sentinel process, which removes it on exit). */
  shmKey: number;
  /** Loopback listener on 127.0.0.1:port; it writes `token` to every connection. */
  port: number;
  /** File outside the image (in the harness's run dir) and its content. */
  filePath: string;
  fileToken: string;
}

export interface Sentinels extends SentinelFacts {
  /** Removes everything, even if part of it is already gone. Idempotent. */
  stop(): Promise<void>;
}

export interface SentinelOptions {
  nativeDir: string;
  /** A directory the harness owns (created if missing, removed by stop() only if it created it). */
  dir: string;
  /** Upper bound on the sentinel's life should the harness be SIGKILLed (it also dies with its parent). */
  maxSeconds?: number;
}

export class SentinelError extends BenchError {}

const randomToken = (prefix: string): string => `${prefix}${crypto.randomBytes(12).toString('hex')}`;
/** Keys in 0x1500_0000..0x15ff_ffff: positive, non-zero, easy to spot in /proc/sysvipc/shm. */
const randomShmKey = (): number => 0x15000000 + crypto.randomInt(1, 0xffffff);

function waitForReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new SentinelError('SENTINEL_TIMEOUT', 'the sentinel process did not report ready within 5 s')), 5000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) { clearTimeout(timer); resolve(line); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new SentinelError('SENTINEL_EXITED', `the sentinel process exited (${code}) before ready: ${out.trim()}`)); });
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  const gone = new Promise<void>((res) => child.once('exit', () => res()));
  child.kill('SIGTERM'); // by PID: ChildProcess.kill signals exactly this process
  const timedOut = await Promise.race([gone.then(() => false), new Promise<boolean>((res) => setTimeout(() => res(true), 3000))]);
  if (timedOut && !exited(child)) {
    child.kill('SIGKILL');
    await gone;
  }
}

export function shmKeyPresent(key: number): boolean {
  try {
    const text = readFileSync('/proc/sysvipc/shm', 'utf8');
    return text.split('\n').slice(1).some((l) => Number(l.trim().split(/\s+/)[0]) === key);
  } catch {
    return false;
  }
}

/**
 * Starts the host sentinels. On any failure, whatever was already started is
 * removed before the error propagates.
 */
export async function startSentinels(opts: SentinelOptions): Promise<Sentinels> {
  const probe = path.join(opts.nativeDir, 'isobench-probe');
  const createdDir = !existsSync(opts.dir);
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  const token = randomToken('isobench-sentinel-');
  const fileToken = randomToken('isobench-file-');
  const filePath = path.join(opts.dir, `sentinel-${crypto.randomBytes(6).toString('hex')}`);
  let child: ChildProcess | undefined;
  let server: net.Server | undefined;
  let shmKey = 0;

  const stop = async (): Promise<void> => {
    const errors: string[] = [];
    if (server) {
      const s = server;
      server = undefined;
      await new Promise<void>((res) => s.close(() => res()));
    }
    if (child) {
      await stopChild(child);
      child = undefined;
    }
    // The sentinel removes its segment on exit; a SIGKILLed one could not.
    if (shmKey && shmKeyPresent(shmKey)) {
      await run(probe, ['check', 'shm-remove', String(shmKey)]).catch((e: Error) => errors.push(`shm key ${shmKey}: ${e.message}`));
    }
    await rm(filePath, { force: true });
    if (createdDir) await rm(opts.dir, { recursive: true, force: true });
    if (errors.length) throw new SentinelError('SENTINEL_CLEANUP', `could not remove every sentinel: ${errors.join('; ')}`, { hint: 'remove it with `ipcrm -M <key>`' });
  };

  try {
    await writeFile(filePath, `${fileToken}\n`, { mode: 0o600, flag: 'wx' });
    // A random key may collide with an existing segment: the helper uses IPC_EXCL, so retry.
    for (let attempt = 0; ; attempt++) {
      shmKey = randomShmKey();
      child = spawn(probe, ['check', 'sentinel', '--token', token, '--shm-key', String(shmKey), '--max-seconds', String(opts.maxSeconds ?? 1800)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const line = await waitForReady(child);
        if (!line.startsWith('ready ')) throw new SentinelError('SENTINEL_FAILED', `sentinel: ${line}`);
        break;
      } catch (err) {
        await stopChild(child);
        child = undefined;
        const key = shmKey;
        shmKey = 0;
        if (attempt >= 4 || !String((err as Error).message).includes('EEXIST')) {
          throw new SentinelError('SENTINEL_FAILED', `cannot start the sentinel process (shm key ${key}): ${(err as Error).message}`, { cause: err });
        }
      }
    }
    const s = net.createServer((sock) => {
      sock.on('error', () => {});
      sock.end(`${token}\n`);
    });
    server = s;
    await new Promise<void>((res, rej) => { s.once('error', rej); s.listen(0, '127.0.0.1', () => res()); });
    const port = (s.address() as net.AddressInfo).port;
    return { pid: child!.pid!, token, shmKey, port, filePath, fileToken, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/** What is still there of a set of sentinels (empty = nothing left). For tests and post-run checks. */
export async function sentinelLeftovers(f: SentinelFacts): Promise<string[]> {
  const left: string[] = [];
  try {
    process.kill(f.pid, 0);
    const cmdline = readFileSync(`/proc/${f.pid}/cmdline`, 'utf8');
    if (cmdline.includes(f.token)) left.push(`process ${f.pid}`);
  } catch { /* gone */ }
  if (shmKeyPresent(f.shmKey)) left.push(`shm key ${f.shmKey}`);
  if (existsSync(f.filePath)) left.push(`file ${f.filePath}`);
  const listening = await new Promise<boolean>((res) => {
    const c = net.connect({ host: '127.0.0.1', port: f.port });
    c.once('data', (b) => { c.destroy(); res(b.toString().includes(f.token)); });
    c.once('error', () => res(false));
    c.setTimeout(1000, () => { c.destroy(); res(false); });
  });
  if (listening) left.push(`listener 127.0.0.1:${f.port}`);
  return left;
}
