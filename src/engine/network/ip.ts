import fs from 'node:fs';
import { execa } from 'execa';
import { NetworkError } from './errors.js';

/**
 * The thin seam to iproute2. Every call is an argv (no shell), and a failure
 * names the command and ip's own message.
 */
export async function ip(args: string[], opts: { netns?: string; allowFail?: boolean } = {}): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const argv = opts.netns ? ['-n', opts.netns, ...args] : args;
  const r = await execa('ip', argv, { reject: false, timeout: 10_000 });
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
  const r = await execa('ip', argv, { input, reject: false, timeout: 10_000 });
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
