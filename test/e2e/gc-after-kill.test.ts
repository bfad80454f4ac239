import { describe, it, expect, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/core/version.js';
import { mountsUnder } from '../../src/engine/rootfs/mounts.js';

/**
 * A harness killed with SIGKILL cannot clean up: its chroot keeps /proc,
 * /dev and /sys bound under the home. `bench gc` (and the next run's sweep)
 * must remove them without touching the host's own /dev or /sys.
 */
const isRoot = process.getuid?.() === 0;
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

describe.skipIf(!isRoot)('bench gc after a SIGKILLed run (real CLI, as root)', () => {
  let tmp = '';
  afterAll(async () => {
    if (tmp) {
      for (const m of mountsUnder(tmp)) spawnSync('umount', ['-l', m]);
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('removes the chroot binds and run dir; the host /dev and /sys stay mounted', async () => {
    expect(existsSync(CLI), 'dist/ missing: npm test builds it first').toBe(true);
    tmp = await mkdtemp(path.join(os.tmpdir(), 'isobench-gc-kill-'));
    const home = path.join(tmp, 'home');
    const scen = path.join(tmp, 'scenarios');
    mkdirSync(scen);
    // Long enough to be killed mid-run: many rounds of the trivial startup workload.
    writeFileSync(path.join(scen, 'startup.yaml'), [
      'name: startup', 'description: long startup loop to be killed', 'workload:', '  type: startup',
      'environments: [chroot]', 'rounds: 5000', 'warmup: 0', 'timeoutSeconds: 30', '',
    ].join('\n'));
    const hostDevMounts = mountsUnder('/dev').length;
    const child = spawn(process.execPath, [CLI, '--home', home, 'run', 'all', '--env', 'chroot', '--scenarios-dir', scen, '--out', path.join(tmp, 'out')], { stdio: 'ignore', env: { ...process.env, CI: 'true' } });
    const mounted = await waitFor(() => mountsUnder(path.join(home, 'runs')).length >= 3, 90_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(mounted, 'the chroot never mounted its binds').toBe(true);
    expect(mountsUnder(path.join(home, 'runs')).length).toBeGreaterThan(0);

    const gc = spawnSync(process.execPath, [CLI, '--home', home, 'gc', '--json'], { encoding: 'utf8' });
    expect(gc.status, gc.stderr).toBe(0);
    const report = JSON.parse(gc.stdout) as { runs: { removed: string[]; unmounted: string[] } };
    expect(report.runs.removed).toHaveLength(1);
    expect(report.runs.unmounted.length).toBeGreaterThan(0);
    expect(mountsUnder(home)).toEqual([]);
    expect(readdirSync(path.join(home, 'runs'))).toEqual([]);
    // The host's own mounts survived the unmounting of the binds.
    expect(mountsUnder('/dev').length).toBe(hostDevMounts);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).toMatch(/ \/sys /);
  }, 180_000);
});
