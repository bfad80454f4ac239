import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, watch, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/core/version.js';
import { processStartTime } from '../../src/core/process-owner.js';
import { mountsUnder } from '../../src/engine/rootfs/mounts.js';
import { safeRemoveTree } from '../helpers/safe-rm.js';
import { countLeaks, findLeaks, recordedProcesses, LEAK_KINDS, type Leaks } from './leaks.js';
import { rmProof, writableOutsideViews } from './rm-proof.js';

/**
 * CHAOS: `bench run` SIGKILLed (the Node process only, as the OOM killer or
 * `kill -9` would) at five moments. After each: what leaked, that no mount
 * under the home is a writable view of a host path, that `rm -rf` of a
 * replica of the home (host paths replaced by sentinels) destroys no
 * sentinel, and that `bench gc` leaves nothing of the home on the host. A
 * final run on the same home must succeed. The table of moments × leaks is
 * printed (CHAOS_TABLE=file also writes it).
 */
const isRoot = process.getuid?.() === 0;
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
const QEMU = ['/usr/bin/qemu-system-x86_64'].find((q) => existsSync(q));
const VM_KERNEL = ['build/guest-kernel', 'build/kernel'].some((d) => existsSync(path.join(REPO_ROOT, d)) && readdirSync(path.join(REPO_ROOT, d)).length > 0);

interface Row { moment: string; before: Record<keyof Leaks, number>; after: Record<keyof Leaks, number>; note: string }
const rows: Row[] = [];

let tmp = '';
let home = '';
let scen = '';

function scenario(dir: string, name: string, type: string, params: string, rounds: number, envs = '[host, chroot, container, vm]'): void {
  writeFileSync(path.join(dir, `${name}.yaml`), [
    `name: ${name}`, `description: chaos ${name}`, 'workload:', `  type: ${type}`, ...(params ? ['  params:', ...params.split(';').map((p) => `    ${p.trim()}`)] : []),
    `environments: ${envs}`, `rounds: ${rounds}`, 'warmup: 0', 'timeoutSeconds: 120', '',
  ].join('\n'));
}

async function until(cond: () => boolean, ms: number, child: ChildProcess, what: string, err: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (child.exitCode !== null) throw new Error(`the run ended (${child.exitCode}) before ${what}: ${err().slice(-1500)}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${err().slice(-1500)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function startRun(args: string[], out: string): { child: ChildProcess; stderr: () => string } {
  let stderr = '';
  const child = spawn(process.execPath, [CLI, '--home', home, 'run', ...args, '--scenarios-dir', scen, '--out', out], { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  return { child, stderr: () => stderr };
}

async function sigkill(child: ChildProcess): Promise<void> {
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

/** Kill at the moment `ready` says, then check leaks, rm safety and gc. */
async function killAt(moment: string, args: string[], ready: (out: string) => boolean, opts: { timeoutMs?: number; watchOut?: boolean } = {}): Promise<void> {
  const out = path.join(tmp, `out-${moment.replace(/\W+/g, '-')}`);
  mkdirSync(out, { recursive: true });
  const run = startRun(args, out);
  let note = '';
  if (opts.watchOut) {
    // Kill the instant a results.json temp appears: mid-save.
    await new Promise<void>((resolve, reject) => {
      const w = watch(out, (_ev, name) => {
        if (name && String(name).startsWith('results.json.tmp-') && existsSync(path.join(out, String(name)))) {
          run.child.kill('SIGKILL');
          note = 'killed while results.json.tmp-PID existed';
          w.close();
          resolve();
        }
      });
      run.child.once('exit', () => { w.close(); resolve(); });
      setTimeout(() => { w.close(); reject(new Error(`no save seen: ${run.stderr().slice(-1500)}`)); }, opts.timeoutMs ?? 60_000);
    });
    if (run.child.exitCode === null && run.child.signalCode === null) await new Promise((r) => run.child.once('exit', r));
    expect(run.child.signalCode, `the run ended on its own: ${run.stderr().slice(-800)}`).toBe('SIGKILL');
  } else {
    await until(() => ready(out), opts.timeoutMs ?? 90_000, run.child, moment, run.stderr);
    await sigkill(run.child);
  }
  const recorded = recordedProcesses(home);
  const before = findLeaks(home, [out], recorded);

  // rm -rf safety, before any gc: nothing under the home is a writable view of a host path...
  expect(writableOutsideViews(home), `${moment}: writable view of a host path under the home`).toEqual([]);
  // ...and rm -rf of a replica (host paths replaced by sentinels) destroys no sentinel.
  const proof = await rmProof(home, mkdtempSync(path.join(tmp, 'rmproof-')));
  expect(proof.destroyed, `${moment}: rm -rf reached a sentinel`).toEqual([]);

  const gc = spawnSync(process.execPath, [CLI, '--home', home, 'gc', '--json'], { encoding: 'utf8', timeout: 60_000 });
  expect(gc.status, gc.stderr).toBe(0);
  const after = findLeaks(home, [out], recorded);
  for (const k of LEAK_KINDS) expect(after[k], `${moment}: ${k} left after gc`).toEqual([]);
  rows.push({ moment, before: countLeaks(before), after: countLeaks(after), note: [note, `rm proof: ${proof.replicated} mount(s) replicated, ${proof.sentinels} host view(s), 0 destroyed`].filter(Boolean).join('; ') });
}

const runDirsWith = (pred: (dir: string) => boolean): boolean => {
  const runs = path.join(home, 'runs');
  return existsSync(runs) && readdirSync(runs).some((d) => pred(path.join(runs, d)));
};

describe.skipIf(!isRoot)('chaos: bench run SIGKILLed at five moments (real CLI, as root)', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\``);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'isobench-chaos-'));
    home = path.join(tmp, 'home');
    scen = path.join(tmp, 'scenarios');
    mkdirSync(scen);
    scenario(scen, 'startup', 'startup', '', 5000);
    scenario(scen, 'network', 'network', 'bytes: 1048576; count: 200', 2000, '[host]');
    for (let i = 0; i < 40; i++) scenario(scen, `save-${String(i).padStart(2, '0')}`, 'startup', '', 1, '[host]');
  });
  afterAll(async () => {
    if (rows.length) {
      const head = `| moment | ${LEAK_KINDS.join(' | ')} | note |`;
      const table = [head, `|${'---|'.repeat(LEAK_KINDS.length + 2)}`, ...rows.map((r) => `| ${r.moment} | ${LEAK_KINDS.map((k) => `${r.before[k]} → ${r.after[k]}`).join(' | ')} | ${r.note} |`)].join('\n');
      process.stdout.write(`\nchaos: leaks after SIGKILL → after bench gc\n${table}\n`);
      if (process.env.CHAOS_TABLE) writeFileSync(process.env.CHAOS_TABLE, `${table}\n`);
    }
    if (tmp) {
      spawnSync(process.execPath, [CLI, '--home', home, 'gc'], { encoding: 'utf8', timeout: 60_000 });
      await safeRemoveTree(tmp);
    }
  });

  it('chroot up: no writable host view under the home; gc leaves nothing', async () => {
    await killAt('chroot up', ['startup', '--env', 'chroot', '--phases', 'none'], () => mountsUnder(path.join(home, 'runs')).length >= 6);
  }, 150_000);

  it('network peers up: the peer dies with the harness (PDEATHSIG); gc leaves nothing', async () => {
    let peer: { pid: number; start: string } | undefined;
    await killAt('network peers up', ['network', '--env', 'host', '--phases', 'none'], () => {
      peer = recordedProcesses(home).find((p) => processStartTime(p.pid) === p.start);
      return peer !== undefined;
    });
    expect(peer, 'the host peer was recorded in the run ledger').toBeDefined();
    expect(rows.at(-1)!.before.processes, 'the peer outlived the SIGKILLed harness').toBe(0);
  }, 150_000);

  it.skipIf(!QEMU || !VM_KERNEL)('VM booting: QEMU dies with the harness or is reaped by gc', async () => {
    await killAt('VM booting', ['startup', '--env', 'vm', '--phases', 'none'], () => runDirsWith((d) => {
      const vm = path.join(d, 'vm');
      return existsSync(vm) && readdirSync(vm).some((v) => existsSync(path.join(vm, v, 'qemu.pid')));
    }), { timeoutMs: 120_000 });
  }, 180_000);

  it('engine phase with 20 containers: shims and containers die or are reaped; gc leaves nothing', async () => {
    await killAt('engine facts, 20 containers', ['save-00', '--env', 'container', '--phases', 'engine-facts'], () => {
      const c = path.join(home, 'containers');
      return existsSync(c) && readdirSync(c).some((g) => g.startsWith('facts-') && existsSync(path.join(c, g)) && readdirSync(path.join(c, g)).filter((f) => f.endsWith('.pid')).length >= 20);
    }, { timeoutMs: 120_000 });
  }, 180_000);

  it('while saving results.json: no half-written file survives gc', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `save-${String(i).padStart(2, '0')}`);
    await killAt('while saving', [...names, '--env', 'host', '--phases', 'none'], () => false, { watchOut: true, timeoutMs: 90_000 });
  }, 150_000);

  it('the next run on the same home succeeds and leaves nothing', () => {
    const out = path.join(tmp, 'out-next');
    const r = spawnSync(process.execPath, [CLI, '--home', home, 'run', 'save-00', '--env', 'host,chroot', '--phases', 'none', '--scenarios-dir', scen, '--out', out], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 120_000 });
    expect(r.status, r.stderr.slice(-1500)).toBe(0);
    const left = findLeaks(home, [out], []);
    for (const k of LEAK_KINDS) expect(left[k], `${k} after a clean run`).toEqual([]);
  }, 150_000);
});
