import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { forwardChainName, iptablesPath } from '../../../src/engine/network/firewall.js';
import { resolveHome } from '../../../src/core/home.js';
import { containerSkipReason } from './fixture.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');

function which(bin: string): string | undefined {
  for (const d of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) if (fs.existsSync(path.join(d, bin))) return path.join(d, bin);
  return undefined;
}

function skipReason(): string | undefined {
  const c = containerSkipReason();
  if (c) return c;
  if (!which('dockerd')) return 'dockerd not installed (apt-get install docker.io)';
  if (!which('unshare')) return 'unshare not installed (util-linux)';
  if (!iptablesPath()) return 'iptables not installed';
  if (!fs.existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables')) return 'br_netfilter not loaded (modprobe br_netfilter): bridged traffic never meets iptables here';
  if (!fs.existsSync(path.join(repo, 'node_modules', 'tsx'))) return 'tsx not installed (npm ci)';
  return undefined;
}
const skip = skipReason();

/** What the host's own firewall and sysctl look like: the test must leave them exactly so. */
function hostNetState(): { policy: string; bridgeNf: string; ipForward: string } {
  // Only the policy line: other homes' bridges (other tests) may add and remove their own jumps meanwhile.
  const forward = execFileSync(iptablesPath()!, ['-w', '10', '-S', 'FORWARD'], { encoding: 'utf8' });
  return {
    policy: forward.split('\n').find((l) => l.startsWith('-P FORWARD')) ?? '',
    bridgeNf: fs.readFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').trim(),
    ipForward: fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim(),
  };
}

describe.skipIf(skip !== undefined)(`engine bridge beside a running dockerd ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let tmp: string | undefined;

  afterAll(async () => {
    if (!tmp) return;
    // A child killed half-way may leave its dockerd/containerd: ours, found by their pid files.
    for (const f of ['docker.pid', 'exec/containerd/containerd.pid']) {
      const p = path.join(tmp, f);
      const pid = fs.existsSync(p) ? Number(fs.readFileSync(p, 'utf8').trim()) : 0;
      if (pid > 1 && fs.existsSync(`/proc/${pid}`)) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    // The child's mounts lived in its own mount namespace; refuse to rm if anything is still mounted under tmp.
    const mounted = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4]?.startsWith(tmp!));
    if (!mounted) await fsp.rm(tmp, { recursive: true, force: true });
  });

  it('two containers on the bridge exchange data while dockerd holds FORWARD at DROP; without our chain they cannot; the host is left as it was', async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-fwd-docker-'));
    const before = hostNetState();
    // Own network and mount namespaces: dockerd's DROP policy, its bridge and sysctls, and every mount stay in there,
    // so the host (and any other test using a bridge right now) never sees them.
    const child = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile('unshare', ['--net', '--mount', '--propagation', 'private', '--', process.execPath, '--import', 'tsx', path.join(here, 'docker-forward-child.ts'), tmp!],
        { cwd: repo, timeout: 240_000, maxBuffer: 16 << 20 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }));
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    let r: Record<string, any>;
    try {
      r = JSON.parse(line) as Record<string, any>;
    } catch {
      throw new Error(`child printed no result (exit ${child.code}): ${child.stdout.slice(-1000)}\n${child.stderr.slice(-2000)}`);
    }
    if (!r.ok) throw new Error(`child failed: ${r.error}\n${child.stderr.slice(-2000)}`);

    // The conditions Docker creates: FORWARD policy DROP and bridged frames sent through iptables.
    expect(r.forwardBefore).toContain('-P FORWARD DROP');
    expect(r.bridgeNf).toBe('1');
    // Our chain is jumped to from FORWARD and accepts only the bridge's own traffic.
    expect(r.forwardWithBridge).toMatch(/-A FORWARD -i ib-\w+ -j ISOBENCH-\w+/);
    expect(r.chain).toMatch(/-A ISOBENCH-\w+ -i ib-\w+ -o ib-\w+ -j ACCEPT/);
    expect(r.cli.output).toMatch(/throughput_mib_per_sec=\d/);
    expect(r.cli.exitCode).toBe(0);
    // Control: the same path without our jump is dropped.
    expect(r.blocked.output).not.toMatch(/throughput_mib_per_sec/);
    expect(r.blocked.output).toMatch(/rc=[1-9]/);
    // Teardown took the chain and the jump with the bridge; dockerd and its containerd were stopped.
    expect(r.leftovers).toEqual([]);
    expect(r.forwardAfter).not.toContain('ISOBENCH-');
    for (const pid of [r.dockerdPid, r.containerdPid].filter(Boolean)) expect(fs.existsSync(`/proc/${pid}`), `pid ${pid} still alive`).toBe(false);

    // The host: same FORWARD policy, same sysctls as before, no jump to this home's chain.
    expect(hostNetState()).toEqual(before);
    const tag = resolveHome(path.join(tmp, 'home')).tag;
    expect(execFileSync(iptablesPath()!, ['-w', '10', '-S', 'FORWARD'], { encoding: 'utf8' })).not.toContain(forwardChainName(tag));
  }, 300_000);
});
