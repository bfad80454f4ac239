import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, mkdir, writeFile, readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveHome, type HomePaths } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { VmEnvironment, gcVms, resolveGuestKernel } from '../../../src/envs/vm/index.js';
import { ownerRecord, writeOwner } from '../../../src/envs/vm/gc.js';
import { testImage } from './fixture-image.js';
import { qemusOf, vmSkipReason } from './vm-requirements.js';

const skip = await vmSkipReason();
const here = path.dirname(fileURLToPath(import.meta.url));


async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

/** Zombies count as gone: only their parent can reap them. */
function alive(pid: number): boolean {
  try { return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

describe.skipIf(!!skip)('no QEMU survives the harness', () => {
  let root: string;
  let home: HomePaths;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'isobench-vmgc-'));
    home = resolveHome(root);
    // Warm the home's caches (initramfs, vmlinux, accelerator) so the child only boots.
    const ti = await testImage(home);
    await new VmEnvironment({ home, nativeDir: NATIVE_DIR, runId: 'warm', log: () => {} }, {}, ti.unpack).prepare(ti.image);
  }, 300000);

  afterAll(async () => {
    for (const pid of qemusOf(root)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    await rm(root, { recursive: true, force: true });
  });

  it('a harness SIGKILLed while its VM boots leaves no QEMU after gcVms', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', 'vm-child.mts'), root, 'killed-run'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let line = '';
    child.stdout.on('data', (b: Buffer) => { line += b.toString(); });
    expect(await waitFor(() => line.includes('\n'), 120000)).toBe(true);
    const [, pidText, vmDir] = line.trim().split(' ');
    const qemuPid = Number(pidText);
    expect(alive(qemuPid)).toBe(true);
    // The guest is still booting: no ready token has been printed yet.
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const report = await gcVms(home);
    expect(await waitFor(() => !alive(qemuPid), 5000)).toBe(true);
    expect(qemusOf(root)).toEqual([]);
    expect(report.removedDirs).toContain(vmDir);
    expect(existsSync(vmDir!)).toBe(false);
  }, 180000);

  it('a harness SIGKILLed with a VM session open (a run in flight) leaves no QEMU after gcVms', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', 'vm-child.mts'), root, 'killed-session', 'session'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let line = '';
    child.stdout.on('data', (b: Buffer) => { line += b.toString(); });
    expect(await waitFor(() => line.includes('\n'), 180000)).toBe(true);
    const [, pidText, vmDir] = line.trim().split(' ');
    const qemuPid = Number(pidText);
    expect(alive(qemuPid)).toBe(true);
    expect(readFileSync(`/proc/${qemuPid}/cmdline`, 'utf8')).toContain('isobench.session=1');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const report = await gcVms(home);
    expect(await waitFor(() => !alive(qemuPid), 5000)).toBe(true);
    expect(qemusOf(root)).toEqual([]);
    expect(report.removedDirs).toContain(vmDir);
    expect(existsSync(vmDir!)).toBe(false);
  }, 240000);

  it('kills an orphaned QEMU by its pidfile, keeps a VM whose harness lives, never touches other processes', async () => {
    const kernel = await resolveGuestKernel(home);
    const orphanDir = path.join(home.runs, 'crashed-run', 'vm', 'vm-1');
    await mkdir(orphanDir, { recursive: true });
    // An owner that no longer exists (its start time cannot match).
    await writeFile(path.join(orphanDir, 'owner.json'), JSON.stringify({ harnessPid: process.pid, harnessStart: 'gone', startedAt: '' }));
    const pidfile = path.join(orphanDir, 'qemu.pid');
    // Detached, outside any timer: only gcVms can end it.
    const orphan = spawn('qemu-system-x86_64', ['-M', 'microvm', '-accel', 'tcg', '-m', '64M', '-nodefaults', '-no-user-config', '-nographic', '-S', '-kernel', kernel.vmlinux, '-pidfile', pidfile], { detached: true, stdio: 'ignore' });
    orphan.unref();
    const liveDir = path.join(home.runs, 'live-run', 'vm', 'vm-1');
    await writeOwner(liveDir, await ownerRecord());
    const bystander = spawn('sleep', ['30'], { stdio: 'ignore' });
    expect(await waitFor(() => existsSync(pidfile) && readFileSync(pidfile, 'utf8').trim() !== '', 20000)).toBe(true);
    const pid = Number((await readFile(pidfile, 'utf8')).trim());
    expect(pid).toBe(orphan.pid);
    // A pidfile naming a process that is not our QEMU must be ignored.
    const fakeDir = path.join(home.runs, 'crashed-run', 'vm', 'vm-2');
    await mkdir(fakeDir, { recursive: true });
    await writeFile(path.join(fakeDir, 'qemu.pid'), String(bystander.pid));

    const report = await gcVms(home);
    expect(report.killed).toEqual([{ pid, dir: orphanDir }]);
    expect(await waitFor(() => !alive(pid), 5000)).toBe(true);
    expect(report.kept).toEqual([liveDir]);
    expect(existsSync(liveDir)).toBe(true);
    expect(existsSync(fakeDir)).toBe(false);
    expect(alive(bystander.pid!)).toBe(true);
    bystander.kill('SIGKILL');
  }, 60000);
});
