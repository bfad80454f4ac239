import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Environment, Prepared, Running, SessionSpec, WorkloadInvocation, WorkloadOutput } from '../../src/envs/types.js';
import { runScenario, type EnvSlot } from '../../src/measure/index.js';
import { startHostPeer } from '../../src/measure/host-peer.js';
import { NO_PROGRESS } from '../../src/measure/progress.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { NATIVE_DIR } from '../../src/core/version.js';
import { PROBE_NET_SERVER } from '../../src/scenario/workloads/network-common.js';
import { HostRequirementError } from '../../src/core/errors.js';

const probe = path.join(NATIVE_DIR, 'isobench-probe');
const run = promisify(execFile);

/** Runs the workload's argv on the host for real (the probe is a static binary), so the peer is really used. */
class LocalEnv implements Environment {
  readonly invocations: WorkloadInvocation[] = [];
  constructor(readonly name: string, readonly kind: Environment['kind']) {}
  async available() { return { ok: true }; }
  async prepare(): Promise<Prepared> { return { env: this.name, imageDigest: 'sha256:abc' }; }
  async start(_p: Prepared, w: WorkloadInvocation): Promise<Running & { out: Promise<WorkloadOutput> }> {
    this.invocations.push(w);
    const argv = w.argv.map((a) => (a === '/isobench/probe' ? probe : a));
    const out = run(argv[0]!, argv.slice(1)).then((r) => ({ startupMs: 1, exitMs: 2, exitCode: 0, output: r.stdout }));
    return { commandLine: argv, ready: Promise.resolve(1), out };
  }
  wait(r: Running): Promise<WorkloadOutput> { return (r as unknown as { out: Promise<WorkloadOutput> }).out; }
  async cleanup() {}
}

const scenario = parseScenarioText('name: network\ndescription: t\nworkload:\n  type: network\n  params: { bytes: 1048576, count: 50 }\nrounds: 2\nwarmup: 0\n', '/x/network.yaml');

describe.skipIf(!fs.existsSync(probe))('host-side peer of network workloads', () => {
  it('starts one probe server per environment, passes its address into the argv, stops it afterwards', async () => {
    const host = new LocalEnv('host', 'host');
    const chroot = new LocalEnv('chroot', 'chroot');
    const slots: EnvSlot[] = [];
    for (const e of [host, chroot]) slots.push({ env: e, state: 'ready', prepared: await e.prepare() });
    const r = await runScenario(scenario, slots, { progress: NO_PROGRESS, counter: { done: 0, total: 4 } });
    expect(r.envs.map((e) => e.status)).toEqual(['ok', 'ok']);
    const ports = [host, chroot].map((e) => e.invocations[0]!.argv[4]);
    expect(ports[0]).not.toBe(ports[1]); // one peer each
    expect(host.invocations.every((i) => i.hostPeer === true && i.argv[3] === '127.0.0.1')).toBe(true);
    // The peers are gone: their ports refuse connections.
    for (const p of ports) await expect(run(probe, ['net', 'stream', '127.0.0.1', String(p), '10'])).rejects.toBeTruthy();
  });

  it('a sized network scenario opens its session with the peer: the session knows it needs the host, and every run reaches it', async () => {
    const sized = parseScenarioText('name: network\ndescription: t\nworkload:\n  type: network\n  params: { bytes: 1048576, count: 50 }\nrounds: 2\nwarmup: 0\nroundMs: 50\n', '/x/network.yaml');
    const host = new LocalEnv('host', 'host');
    const chroot = new LocalEnv('chroot', 'chroot');
    const specs: SessionSpec[] = [];
    let viaSession = 0;
    (chroot as Environment).openSession = async (p, spec) => {
      specs.push(spec);
      return { description: 'one instance', start: (w) => { viaSession++; return chroot.start(p, w); }, close: async () => {} };
    };
    const slots: EnvSlot[] = [];
    for (const e of [host, chroot]) slots.push({ env: e, state: 'ready', prepared: await e.prepare() });
    const r = await runScenario(sized, slots, { progress: NO_PROGRESS, counter: { done: 0, total: 4 }, sampling: { precision: 0.5, maxRounds: 3 } });
    expect(r.envs.map((e) => e.status)).toEqual(['ok', 'ok']);
    expect(specs).toEqual([expect.objectContaining({ hostPeer: true })]);
    expect(viaSession).toBe(chroot.invocations.length);
    expect(viaSession).toBeGreaterThan(1);
  });

  it('an environment without a path to the host peer is skipped with the reason, the others still run', async () => {
    const host = new LocalEnv('host', 'host');
    const vm = new LocalEnv('vm', 'vm');
    const slots: EnvSlot[] = [];
    for (const e of [host, vm]) slots.push({ env: e, state: 'ready', prepared: await e.prepare() });
    const r = await runScenario(scenario, slots, { progress: NO_PROGRESS, counter: { done: 0, total: 4 } });
    expect(r.envs[0]?.status).toBe('ok');
    expect(r.envs[1]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('no network path') });
    expect(vm.invocations).toHaveLength(0);
    await expect(startHostPeer(PROBE_NET_SERVER, vm, await vm.prepare())).rejects.toBeInstanceOf(HostRequirementError);
  });
});
