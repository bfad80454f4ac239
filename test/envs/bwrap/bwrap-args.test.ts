import { describe, it, expect } from 'vitest';
import { bwrapArgs } from '../../../src/envs/bwrap/bwrap-args.js';
import { DEFAULT_CAPABILITIES } from '../../../src/engine/index.js';

describe('bwrapArgs', () => {
  it('unshares everything, dies with its parent, binds the rootfs as /, same 14 caps, clean env', () => {
    const a = bwrapArgs('/usr/bin/bwrap', '/root/fs', ['/isobench/probe', 'ready', 'T', '--', '/bin/true'], { PATH: '/bin', A: 'b c' });
    expect(a[0]).toBe('/usr/bin/bwrap');
    expect(a).toContain('--unshare-all');
    expect(a).toContain('--die-with-parent');
    expect(a).toContain('--clearenv');
    expect(a.slice(a.indexOf('--bind'), a.indexOf('--bind') + 3)).toEqual(['--bind', '/root/fs', '/']);
    expect(a.filter((x, i) => a[i - 1] === '--cap-add')).toEqual([...DEFAULT_CAPABILITIES]);
    expect(a.indexOf('--cap-drop')).toBeLessThan(a.indexOf('--cap-add'));
    const env = a.flatMap((x, i) => (x === '--setenv' ? [`${a[i + 1]}=${a[i + 2]}`] : []));
    expect(env).toEqual(['PATH=/bin', 'A=b c']);
    expect(a.slice(a.indexOf('--') + 1)).toEqual(['/isobench/probe', 'ready', 'T', '--', '/bin/true']);
  });
});
