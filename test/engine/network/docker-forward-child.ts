/**
 * Runs inside `unshare --net --mount` (started by bridge-docker.test.ts):
 * a private dockerd turns this network namespace's FORWARD policy to DROP,
 * then two containers on the engine's bridge must still exchange data.
 * Nothing here can reach the host's firewall, sysctls or mounts: they are
 * this namespace's own, and vanish with it. Prints one JSON line.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { resolveHome } from '../../../src/core/home.js';
import { openEngine, runContainer, deleteContainer, readLogs } from '../../../src/engine/container/index.js';
import { networkOptions, networkLeftovers, readNetworkRecord, gcNetwork, bridgeName } from '../../../src/engine/network/index.js';
import { ensureForwardRules, forwardChainName, forwardJump, iptablesPath } from '../../../src/engine/network/firewall.js';
import { gcHome } from '../../../src/engine/gc/index.js';
import { makeRootDir, runToEnd } from './fixture.js';

const tmp = process.argv[2]!;
const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  // /sys/class/net shows the namespace of whoever mounted sysfs: give this one its own view of the links
  // (binding only the net dirs keeps /sys/fs/cgroup, which the engine needs).
  const sysfs = path.join(tmp, 'sysfs');
  await fsp.mkdir(sysfs, { recursive: true });
  sh('mount', ['-t', 'sysfs', 'sysfs', sysfs]);
  sh('mount', ['--bind', path.join(sysfs, 'class/net'), '/sys/class/net']);
  sh('mount', ['--bind', path.join(sysfs, 'devices/virtual/net'), '/sys/devices/virtual/net']);
  // dockerd 20.10 writes /etc/docker/key.json: give it a scratch /etc/docker in this mount namespace.
  const etc = path.join(tmp, 'etc-docker');
  await fsp.mkdir(etc, { recursive: true });
  if (fs.existsSync('/etc/docker')) sh('mount', ['--bind', etc, '/etc/docker']);

  sh('ip', ['link', 'set', 'lo', 'up']);
  // A new namespace copies the host's ip_forward; dockerd turns FORWARD to DROP only when it has to enable
  // forwarding itself (a fresh host). Start from 0 here, in this namespace only.
  fs.writeFileSync('/proc/sys/net/ipv4/ip_forward', '0');
  const sock = path.join(tmp, 'docker.sock');
  const pidfile = path.join(tmp, 'docker.pid');
  const log = fs.openSync(path.join(tmp, 'dockerd.log'), 'a');
  const d = spawn('dockerd', [
    '--host', `unix://${sock}`, '--pidfile', pidfile, '--exec-root', path.join(tmp, 'exec'), '--data-root', path.join(tmp, 'data'),
    '--storage-driver', 'vfs',
  ], { stdio: ['ignore', log, log] });
  out.dockerdPid = d.pid;
  try {
    for (let i = 0; i < 600 && !fs.existsSync(sock); i++) await sleep(100);
    // The socket appears before dockerd has finished its iptables setup: wait for the policy to change.
    let fwd = '';
    for (let i = 0; i < 300; i++) {
      fwd = sh(iptablesPath()!, ['-w', '10', '-S', 'FORWARD']);
      if (fwd.includes('-P FORWARD DROP') && fwd.includes('DOCKER')) break;
      await sleep(100);
    }
    out.forwardBefore = fwd;
    out.bridgeNf = fs.readFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').trim();
    if (!fwd.includes('-P FORWARD DROP')) throw new Error(`dockerd did not set FORWARD DROP: ${fwd}\n${fs.readFileSync(path.join(tmp, 'dockerd.log'), 'utf8').slice(-2000)}`);

    const home = resolveHome(path.join(tmp, 'home'));
    const engine = openEngine(home);
    const root = await makeRootDir(path.join(tmp, 'root'));
    const base = (id: string, argv: string[]) => ({ id, rootfs: { kind: 'dir' as const, dir: root }, argv });
    try {
      await runContainer(engine, { ...base('srv', ['/isobench/probe', 'net', 'server', '7000']), ...(await networkOptions(home, 'bridge', [], 'srv')) }, undefined, { detach: true });
      const srv = (await readNetworkRecord(home, 'srv'))!;
      for (let i = 0; i < 250 && !(await readLogs(engine, 'srv')).includes('listening'); i++) await sleep(20);
      out.forwardWithBridge = sh(iptablesPath()!, ['-w', '10', '-S', 'FORWARD']);
      out.chain = sh(iptablesPath()!, ['-w', '10', '-S', forwardChainName(home.tag)]);

      const cli = await runToEnd(engine, { ...base('cli', ['/isobench/probe', 'net', 'stream', srv.address, '7000', String(4 << 20)]), ...(await networkOptions(home, 'bridge', [], 'cli')) }, 60_000);
      out.cli = { exitCode: cli.exitCode, output: cli.output.slice(-500) };

      // Control: without our jump, the same connection is dropped (so the check above can fail).
      const br = bridgeName(home.tag);
      sh(iptablesPath()!, ['-w', '10', '-D', 'FORWARD', ...forwardJump(br, forwardChainName(home.tag))]);
      const blocked = await runToEnd(engine, {
        ...base('blocked', ['/bin/busybox', 'sh', '-c', `/bin/busybox timeout 3 /isobench/probe net stream ${srv.address} 7000 1000; echo rc=$?`]),
        ...(await networkOptions(home, 'bridge', [], 'blocked')),
      }, 60_000);
      out.blocked = { exitCode: blocked.exitCode, output: blocked.output.slice(-500) };
      await ensureForwardRules(br, home.tag);
    } finally {
      for (const id of ['srv', 'cli', 'blocked']) await deleteContainer(engine, id, { force: true }).catch(() => {});
      await gcHome(home).catch(() => {});
      await gcNetwork(home).catch(() => {});
    }
    out.leftovers = await networkLeftovers(home);
    out.forwardAfter = sh(iptablesPath()!, ['-w', '10', '-S', 'FORWARD']);
  } finally {
    // Ours, by PID: SIGTERM lets dockerd stop the containerd it started.
    const containerdPidFile = path.join(tmp, 'exec', 'containerd', 'containerd.pid');
    const containerdPid = fs.existsSync(containerdPidFile) ? Number(fs.readFileSync(containerdPidFile, 'utf8').trim()) : undefined;
    const exited = new Promise<void>((r) => (d.exitCode !== null ? r() : d.once('exit', () => r())));
    d.kill('SIGTERM');
    await Promise.race([exited, sleep(20_000)]);
    if (d.exitCode === null && d.signalCode === null) d.kill('SIGKILL');
    if (containerdPid) {
      for (let i = 0; i < 100 && fs.existsSync(`/proc/${containerdPid}`); i++) await sleep(100);
      if (fs.existsSync(`/proc/${containerdPid}`)) process.kill(containerdPid, 'SIGKILL');
    }
    out.containerdPid = containerdPid;
  }
  return out;
}

main().then(
  (r) => { process.stdout.write(`${JSON.stringify({ ok: true, ...r })}\n`); process.exit(0); },
  (e: unknown) => { process.stdout.write(`${JSON.stringify({ ok: false, error: String((e as Error)?.stack ?? e) })}\n`); process.exit(1); },
);
