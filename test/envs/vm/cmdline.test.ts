import { describe, it, expect } from 'vitest';
import { encodeGuestParams, decodeGuestParams, joinKernelCmdline, KERNEL_CMDLINE_MAX } from '../../../src/envs/vm/cmdline.js';

describe('guest command on the kernel command line', () => {
  it('round-trips argv, env and cwd with spaces, quotes, = and non-ASCII', () => {
    const cmd = {
      token: 'tok-1.2:3',
      argv: ['/bin/busybox', 'sh', '-c', 'echo "a b" \'c\' x=y; exit 3', '', 'ünï 😀'],
      env: { PATH: '/usr/bin:/bin', WEIRD: 'a b=c "d"' },
      cwd: '/tmp/with space',
    };
    const line = joinKernelCmdline(['console=ttyS0', 'quiet', ...encodeGuestParams(cmd)]);
    // Nothing the kernel's tokenizer treats specially may appear in our values.
    for (const p of encodeGuestParams(cmd)) expect(p).toMatch(/^isobench\.[a-z]+=[A-Za-z0-9._:@+_-]+$/);
    expect(line).not.toMatch(/["']/);
    expect(decodeGuestParams(line)).toEqual(cmd);
  });

  it('leaves env and cwd out when not given', () => {
    const params = encodeGuestParams({ token: 't', argv: ['/x'] });
    expect(params).toHaveLength(2);
    expect(decodeGuestParams(params.join(' '))).toEqual({ token: 't', argv: ['/x'] });
  });

  it('encodes an empty argv (startup workload: token only) as no argv parameter', () => {
    const params = encodeGuestParams({ token: 't', argv: [] });
    expect(params).toEqual(['isobench.token=t']);
    expect(decodeGuestParams(params.join(' '))).toEqual({ token: 't', argv: [] });
  });

  it('rejects tokens with spaces, NULs in arguments and over-long lines', () => {
    expect(() => encodeGuestParams({ token: 'a b', argv: ['/x'] })).toThrow(/ready token/);
    expect(() => encodeGuestParams({ token: 't', argv: ['/x', 'a\0b'] })).toThrow(/NUL/);
    const long = encodeGuestParams({ token: 't', argv: ['/x', 'y'.repeat(KERNEL_CMDLINE_MAX)] });
    expect(() => joinKernelCmdline(long)).toThrow(/command line is \d+ bytes/);
  });

  it('returns undefined for a command line without our parameters', () => {
    expect(decodeGuestParams('console=ttyS0 quiet')).toBeUndefined();
  });
});
