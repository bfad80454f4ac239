import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome, type HomePaths } from '../../../src/core/home.js';
import { openEngine, deleteContainer, type Engine } from '../../../src/engine/container/index.js';
import { mountsUnder } from '../../../src/engine/rootfs/mounts.js';
import { containerSkipReason, makeRootDir, runToEnd } from '../network/fixture.js';

/**
 * The engine's hardening against real attacks from inside a container of our
 * own: the seccomp filter, the device allow-list (v1 devices controller, as on
 * this host), volume destinations resolved inside the rootfs, ids and
 * hostnames validated, umask.
 */
const skip = containerSkipReason();

function probeLine(output: string, check: string): Record<string, unknown> {
  const line = output.split('\n').find((l) => l.startsWith(`{"check":"${check}"`));
  if (!line) throw new Error(`no ${check} line in:\n${output}`);
  return JSON.parse(line) as Record<string, unknown>;
}

/** Every file and dir under `dir` (relative), to prove nothing was created there. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      out.push(path.relative(dir, path.join(d, e.name)));
      if (e.isDirectory() && !e.isSymbolicLink()) walk(path.join(d, e.name));
    }
  };
  walk(dir);
  return out.sort();
}

describe.skipIf(skip !== undefined)(`container hardening ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let tmp: string;
  let home: HomePaths;
  let engine: Engine;
  let root: string;
  let n = 0;
  const run = async (opts: Omit<Parameters<typeof runToEnd>[1], 'rootfs'>) => {
    const id = `hard${n++}`;
    const r = await runToEnd(engine, { id, rootfs: { kind: 'dir', dir: root }, ...opts });
    await deleteContainer(engine, id, { force: true });
    return r;
  };

  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-hardening-'));
    home = resolveHome(path.join(tmp, 'home'));
    engine = openEngine(home);
    root = await makeRootDir(path.join(tmp, 'root'));
  });
  afterAll(async () => {
    if (!tmp) return;
    // Never rm over a mount: a failed test could have left one.
    if (mountsUnder(tmp).length === 0) await fsp.rm(tmp, { recursive: true, force: true });
  });

  it('seccomp: the refused syscalls return EPERM, user namespaces included; ordinary ones (fork, exec) work', async () => {
    const r = await run({ argv: ['/bin/busybox', 'sh', '-c', 'echo sub-$(echo shell); umask; /isobench/probe check syscalls'] });
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('sub-shell');
    const line = probeLine(r.output, 'syscalls');
    expect(line.seccomp).toBe(2);
    expect(Object.values(line.calls as Record<string, string>).every((v) => v === 'EPERM'), JSON.stringify(line)).toBe(true);
    expect(line.unshare_user).toBe('EPERM');
    // umask of the program: 0022, not the shim's 0000.
    expect(r.output).toMatch(/^0022$/m);
  }, 60_000);

  it('seccomp unconfined: the same calls reach the kernel (the filter, not the capabilities, refused them)', async () => {
    const r = await run({ seccomp: 'unconfined', argv: ['/isobench/probe', 'check', 'syscalls'] });
    const line = probeLine(r.output, 'syscalls');
    expect(line.seccomp).toBe(0);
    expect((line.calls as Record<string, string>).keyctl).toBe('EOPNOTSUPP');
    expect((line.calls as Record<string, string>).add_key).toBe('EFAULT');
  }, 60_000);

  it('devices: a mknod\'ed node of a host block device cannot be opened; allow-listed ones can; without the device cgroup it can', async () => {
    const cg = engine.cgroups;
    if (cg.version !== 1 || !fs.existsSync('/sys/fs/cgroup/devices')) return; // v2 is covered by the plan test
    const img = path.join(tmp, 'loop.img');
    const token = `isobench-test-loop-${process.pid}`;
    const data = Buffer.alloc(64 * 1024);
    data.write(`${token}\n`);
    await fsp.writeFile(img, data);
    let dev = '';
    try {
      dev = execFileSync('losetup', ['--find', '--show', '--read-only', img], { encoding: 'utf8' }).trim();
    } catch {
      return; // no loop support here: nothing to open
    }
    try {
      const rdev = fs.statSync(dev).rdev;
      const [maj, min] = [Math.floor(rdev / 256) & 0xfff, rdev & 0xff];
      const script = `mknod /tmp/blk b ${maj} ${min} && (head -c 40 /tmp/blk || echo open-refused); rm -f /tmp/blk; head -c 4 /dev/urandom | wc -c`;
      const confined = await run({ argv: ['/bin/busybox', 'sh', '-c', script] });
      expect(confined.output).not.toContain(token);
      expect(confined.output).toMatch(/Operation not permitted|open-refused/);
      expect(confined.output).toMatch(/^4$/m);
      const open = await run({ confinement: { devices: false }, argv: ['/bin/busybox', 'sh', '-c', script] });
      expect(open.output).toContain(token);
    } finally {
      execFileSync('losetup', ['--detach', dev]);
    }
  }, 60_000);

  it('volumes onto symlinked destinations (absolute, relative ../.., a chain) land inside the rootfs; nothing outside is created or changed', async () => {
    const outside = path.join(tmp, 'outside');
    await fsp.mkdir(outside);
    await fsp.writeFile(path.join(outside, 'keep'), 'untouched\n');
    const before = tree(outside);
    const src = path.join(tmp, 'src');
    await fsp.mkdir(src);
    await fsp.writeFile(path.join(src, 'hello'), 'from-volume\n');
    const srcFile = path.join(tmp, 'srcfile');
    await fsp.writeFile(srcFile, 'file-volume\n');
    // Each link points at `outside` as the host sees it; inside the rootfs they must resolve under root.
    await fsp.symlink(outside, path.join(root, 'abs'));
    await fsp.symlink(`${'../'.repeat(12)}${outside.slice(1)}`, path.join(root, 'rel'));
    await fsp.symlink('/chain2', path.join(root, 'chain1'));
    await fsp.symlink(`../../..${outside}`, path.join(root, 'chain2'));
    const r = await run({
      mounts: [
        { source: src, destination: '/abs/a', readonly: false },
        { source: src, destination: '/rel/b', readonly: true },
        { source: src, destination: '/chain1/c/d', readonly: false },
        { source: srcFile, destination: '/abs/f', readonly: false },
      ],
      argv: ['/bin/busybox', 'sh', '-c', 'cat /abs/a/hello /rel/b/hello /chain1/c/d/hello /abs/f'],
    });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output.match(/from-volume/g)?.length).toBe(3);
    expect(r.output).toContain('file-volume');
    expect(tree(outside)).toEqual(before);
    expect(await fsp.readFile(path.join(outside, 'keep'), 'utf8')).toBe('untouched\n');
    // They were made inside the rootfs, at the links' targets read from the rootfs's "/".
    for (const p of ['a', 'b', 'c/d', 'f']) expect(fs.existsSync(path.join(root, outside, p)), p).toBe(true);
    expect(mountsUnder(root)).toEqual([]);
  }, 60_000);

  it('ids are validated on every lookup: rm ../../victim deletes nothing', async () => {
    const victim = path.join(home.containers, '..', '..', 'victim');
    await fsp.mkdir(victim, { recursive: true });
    await fsp.writeFile(path.join(victim, 'state.json'), '{}');
    await expect(deleteContainer(engine, '../../victim', { force: true })).rejects.toMatchObject({ code: 'CONTAINER_ID' });
    expect(fs.existsSync(path.join(victim, 'state.json'))).toBe(true);
  });

  it('hostnames must be RFC 1123: a newline is refused with a clear error', async () => {
    await expect(run({ hostname: 'a\nb', argv: ['/bin/busybox', 'true'] })).rejects.toMatchObject({ code: 'CONTAINER_SPEC', message: expect.stringContaining('bad hostname') });
    const r = await run({ hostname: 'web-1.example', argv: ['/bin/busybox', 'hostname'] });
    expect(r.output.trim()).toBe('web-1.example');
  }, 30_000);
});
