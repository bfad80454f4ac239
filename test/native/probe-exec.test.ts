import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NATIVE_DIR } from '../../src/core/version.js';

const probe = path.join(NATIVE_DIR, 'isobench-probe');
const isRoot = process.getuid?.() === 0;
const exec = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(probe, ['exec', ...args], { encoding: 'utf8', env });

/** A tiny image tree: its own passwd/group (ids no host account uses) and a program in its own bin. */
function imageTree(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'isobench-exec-'));
  // An image's root is world-readable; mkdtemp's 0700 would stop the switched user at the door.
  chmodSync(root, 0o755);
  mkdirSync(path.join(root, 'etc'));
  mkdirSync(path.join(root, 'work'));
  mkdirSync(path.join(root, 'opt/bin'), { recursive: true });
  writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0::/:/bin/sh\napp:x:4242:4343::/work:/bin/sh\n');
  writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\napp:x:4343:\nstaff:x:5151:\n');
  writeFileSync(path.join(root, 'opt/bin/hello'), '#!/bin/sh\necho "hello from the image in $(pwd)"\n', { mode: 0o755 });
  return root;
}

describe.skipIf(!existsSync(probe))('probe exec (the user command wrapper)', () => {
  it('enters the working directory and searches PATH inside the image (--prefix, the bare-host arm)', () => {
    const root = imageTree();
    try {
      const r = exec(['--prefix', root, '--cwd', '/work', '--', 'hello'], { ...process.env, PATH: '/opt/bin:/usr/bin:/bin' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(`hello from the image in ${path.join(root, 'work')}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a working directory the image lacks, or a missing program, is an error naming it', () => {
    const root = imageTree();
    try {
      const r = exec(['--prefix', root, '--cwd', '/nope', '--', 'true']);
      expect(r.status).toBe(126);
      expect(r.stderr).toMatch(/cannot enter the working directory \/nope/);
      const m = exec(['--prefix', root, '--cwd', '/', '--', 'no-such-program-here']);
      expect(m.status).toBe(127);
      expect(m.stderr).toMatch(/cannot execute no-such-program-here/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it.skipIf(!isRoot)('switches to the image\'s user by name from the image\'s own /etc/passwd and /etc/group', () => {
    const root = imageTree();
    try {
      const byName = exec(['--prefix', root, '--cwd', '/', '--user', 'app', '--', '/bin/sh', '-c', 'id -u; id -g; id -G']);
      // /bin/sh is not in the tree: with --prefix an absolute program resolves inside the image only.
      expect(byName.status).toBe(127);
      const r = exec(['--prefix', root, '--cwd', '/', '--user', 'app', '--', 'sh', '-c', 'id -u; id -g; id -G']);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().split('\n')).toEqual(['4242', '4343', '4343']);
      const g = exec(['--prefix', root, '--cwd', '/', '--user', 'app:staff', '--', 'sh', '-c', 'id -g']);
      expect(g.stdout.trim()).toBe('5151');
      const n = exec(['--prefix', root, '--cwd', '/', '--user', '1234:99', '--', 'sh', '-c', 'id -u; id -g']);
      expect(n.stdout.trim().split('\n')).toEqual(['1234', '99']);
      const bad = exec(['--prefix', root, '--cwd', '/', '--user', 'nosuchuser', '--', 'true']);
      expect(bad.status).toBe(126);
      expect(bad.stderr).toMatch(/user "nosuchuser" is not in the image's \/etc\/passwd/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
