import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_ALLOW_LIST, parseCgroupMounts } from '../../src/engine/cgroups/index.js';
import { mountsUnder } from '../../src/engine/rootfs/mounts.js';
import { containerSkipReason, makeRootDir, SHIM } from '../engine/network/fixture.js';

/**
 * The shim's cgroup v2 device program, for real: a cgroup2 hierarchy is
 * mounted on this hybrid host too (/sys/fs/cgroup/unified), and BPF device
 * programs apply there whatever the v1 devices controller says. The shim is
 * run without any v1 cgroup, so only the program decides.
 */
const UNIFIED = parseCgroupMounts(fs.readFileSync('/proc/self/mountinfo', 'utf8')).find((m) => m.type === 'cgroup2')?.mountPoint;
const skip = containerSkipReason() ?? (UNIFIED ? undefined : 'no cgroup2 hierarchy mounted');

describe.skipIf(skip !== undefined)(`cgroup v2 device BPF program ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let tmp: string;
  let root: string;
  let dev = '';
  const token = `isobench-bpf-${process.pid}`;
  const parent = path.join(UNIFIED ?? '/nonexistent', `isobench-bpftest-${process.pid}`);

  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-bpf-'));
    root = await makeRootDir(path.join(tmp, 'root'));
    const img = path.join(tmp, 'loop.img');
    const data = Buffer.alloc(64 * 1024);
    data.write(`${token}\n`);
    await fsp.writeFile(img, data);
    try { dev = execFileSync('losetup', ['--find', '--show', '--read-only', img], { encoding: 'utf8' }).trim(); } catch { dev = ''; }
  });
  afterAll(async () => {
    if (dev) execFileSync('losetup', ['--detach', dev]);
    for (const d of [path.join(parent, 'on'), path.join(parent, 'off'), parent]) await fsp.rmdir(d).catch(() => {});
    if (tmp && mountsUnder(tmp).length === 0) await fsp.rm(tmp, { recursive: true, force: true });
  });

  function runShim(cg: string, withProgram: boolean): string {
    const rdev = fs.statSync(dev).rdev;
    const [maj, min] = [Math.floor(rdev / 256) & 0xfff, rdev & 0xff];
    const rules = withProgram ? DEVICE_ALLOW_LIST.flatMap((r) => ['--device-allow', `${r.type}:${r.major ?? '*'}:${r.minor ?? '*'}:${r.access}`]) : [];
    const r = spawnSync(SHIM, [
      '--ns', 'pid,mnt', '--rootfs', root,
      '--cgroup', parent, '--cgroup', cg, '--cgroup-join', path.join(cg, 'cgroup.procs'),
      ...(withProgram ? ['--device-cgroup', cg, ...rules] : []),
      '--caps', '0,1,2,3,27', '--no-new-privs', '--env', 'PATH=/bin', '--cwd', '/',
      '--', '/bin/busybox', 'sh', '-c', `mknod /tmp/blk b ${maj} ${min} && (head -c 40 /tmp/blk || echo open-refused); rm -f /tmp/blk; mknod /tmp/z c 1 5 && head -c 4 /tmp/z | wc -c; rm -f /tmp/z`,
    ], { encoding: 'utf8', timeout: 30_000 });
    return `${r.stdout}${r.stderr}`;
  }

  it('refuses a host block device not on the allow-list and allows the listed ones; without the program the device opens', () => {
    if (!dev) return; // no loop devices here
    const on = runShim(path.join(parent, 'on'), true);
    expect(on).not.toContain(token);
    expect(on).toMatch(/Operation not permitted|open-refused/);
    expect(on).toMatch(/^4$/m); // /dev/zero (1:5) is allowed
    const off = runShim(path.join(parent, 'off'), false);
    expect(off).toContain(token);
  }, 60_000);
});
