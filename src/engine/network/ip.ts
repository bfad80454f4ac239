import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { NetworkError } from './errors.js';

/**
 * Runs `ip` with node's own spawn: this module is on `bench ctr run`'s
 * start path, and a process library would cost more to load than the
 * fork it wraps.
 */
function runIp(argv: string[], input?: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('ip', argv, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], timeout: 10_000 });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (e) => resolve({ exitCode: 127, stdout, stderr: stderr || e.message }));
    child.on('close', (code, sig) => resolve({ exitCode: code ?? (sig ? 128 : 255), stdout, stderr }));
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * The thin seam to iproute2. Every call is an argv (no shell), and a failure
 * names the command and ip's own message.
 */
export async function ip(args: string[], opts: { netns?: string; allowFail?: boolean } = {}): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const argv = opts.netns ? ['-n', opts.netns, ...args] : args;
  const r = await runIp(argv);
  const ok = r.exitCode === 0;
  if (!ok && !opts.allowFail) {
    throw new NetworkError('NET_IP_FAILED', `ip ${argv.join(' ')} failed: ${String(r.stderr).trim() || `exit ${r.exitCode}`}`, {
      hint: 'needs root and iproute2 (apt-get install iproute2)',
    });
  }
  return { ok, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Runs several ip commands in one process (`ip -batch -`): one fork instead of many on the start path. */
export async function ipBatch(lines: string[][], opts: { netns?: string } = {}): Promise<void> {
  if (lines.length === 0) return;
  const input = lines.map((l) => l.join(' ')).join('\n') + '\n';
  const argv = [...(opts.netns ? ['-n', opts.netns] : []), '-batch', '-'];
  const r = await runIp(argv, input);
  if (r.exitCode !== 0) {
    throw new NetworkError('NET_IP_FAILED', `ip ${argv.join(' ')} failed on:\n${input}${String(r.stderr).trim()}`, { hint: 'needs root and iproute2' });
  }
}

export async function linkExists(name: string, netns?: string): Promise<boolean> {
  // Host namespace: sysfs answers without forking `ip`.
  if (!netns && /^[A-Za-z0-9_.-]{1,15}$/.test(name)) return fs.existsSync(`/sys/class/net/${name}`);
  return (await ip(['link', 'show', 'dev', name], { allowFail: true, ...(netns ? { netns } : {}) })).ok;
}

export async function listLinks(): Promise<string[]> {
  const { stdout } = await ip(['-o', 'link', 'show']);
  return stdout.split('\n').map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1]).filter((n): n is string => !!n);
}
