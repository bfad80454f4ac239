import fs from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HostRequirementError } from '../../core/errors.js';
import type { FileSpec, RecipeLayer } from './types.js';

const run = promisify(execFile);
const BUSYBOX = '/bin/busybox';

/** Base layer: static busybox with all its applet links, the FHS skeleton, minimal users. */
export const busyboxLayer: RecipeLayer = {
  id: 'busybox',
  description: 'busybox-static, applet symlinks, /etc/passwd and /etc/group, /tmp /proc /sys /dev',
  async collect() {
    if (!fs.existsSync(BUSYBOX)) {
      throw new HostRequirementError('IMAGE_INPUT_MISSING', `${BUSYBOX} is missing`, { hint: 'apt-get install busybox-static (or run scripts/setup)' });
    }
    const { stdout } = await run(BUSYBOX, ['--list-full']);
    const applets = stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '' && l !== 'bin/busybox');
    const files: FileSpec[] = [
      { path: '/bin', type: 'dir' },
      { path: '/sbin', type: 'dir' },
      { path: '/usr/bin', type: 'dir' },
      { path: '/usr/sbin', type: 'dir' },
      { path: '/etc', type: 'dir' },
      { path: '/tmp', type: 'dir', mode: 0o1777 },
      { path: '/proc', type: 'dir', mode: 0o555 },
      { path: '/sys', type: 'dir', mode: 0o555 },
      { path: '/dev', type: 'dir' },
      { path: '/root', type: 'dir', mode: 0o700 },
      { path: '/var/tmp', type: 'dir', mode: 0o1777 },
      { path: BUSYBOX, type: 'file', source: BUSYBOX, mode: 0o755 },
      { path: '/etc/passwd', type: 'file', mode: 0o644, content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' },
      { path: '/etc/group', type: 'file', mode: 0o644, content: 'root:x:0:\nnogroup:x:65534:\n' },
      { path: '/etc/hosts', type: 'file', mode: 0o644, content: '127.0.0.1\tlocalhost\n::1\tlocalhost\n' },
    ];
    // "linuxrc" and other top-level applets are kept: --list-full is busybox's own install map.
    for (const a of applets) files.push({ path: `/${a}`, type: 'symlink', target: BUSYBOX });
    return files;
  },
};
