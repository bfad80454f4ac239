import { describe, it, expect } from 'vitest';
import { encodeSessionCommand, decodeSessionCommand, SESSION_HALT, SESSION_LINE_MAX } from '../../../src/envs/session/protocol.js';
import { SESSION_PARAM } from '../../../src/envs/vm/cmdline.js';

describe('session commands on a session\'s stdin (a VM guest\'s console, a container\'s PID 1)', () => {
  it('round-trips argv, env and cwd with spaces, quotes, = , newlines and non-ASCII on one line', () => {
    const cmd = {
      token: 'tok-1.2:3',
      argv: ['/bin/busybox', 'sh', '-c', 'echo "a b" \'c\' x=y\nexit 3', '', 'ünï 😀'],
      env: { PATH: '/usr/bin:/bin', WEIRD: 'a b=c "d"\n' },
      cwd: '/tmp/with space',
    };
    const line = encodeSessionCommand(cmd);
    // One line of five space-separated fields, none of which a raw tty or init's splitter treats specially.
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\n\r"'\x00-\x1f]/);
    const f = line.trimEnd().split(' ');
    expect(f).toHaveLength(5);
    expect(f[0]).toBe('isobench.run');
    expect(f[1]).toBe(cmd.token);
    for (const x of f.slice(2)) expect(x).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSessionCommand(line)).toEqual(cmd);
  });

  it('says "-" for an absent env or cwd (the reader then uses its own)', () => {
    const line = encodeSessionCommand({ token: 't', argv: ['/x'] });
    expect(line).toMatch(/^isobench\.run t [A-Za-z0-9_-]+ - -\n$/);
    expect(decodeSessionCommand(line)).toEqual({ token: 't', argv: ['/x'] });
    expect(encodeSessionCommand({ token: 't', argv: ['/x'], env: {} })).toBe(line);
  });

  it('refuses what the reader could not run: a bad token, an empty argv, a NUL, a line over the reader\'s buffer', () => {
    expect(() => encodeSessionCommand({ token: 'a b', argv: ['/x'] })).toThrow(/ready token/);
    expect(() => encodeSessionCommand({ token: 't', argv: [] })).toThrow(/needs a command/);
    expect(() => encodeSessionCommand({ token: 't', argv: ['/x', 'a\0b'] })).toThrow(/NUL/);
    const big = 'x'.repeat(SESSION_LINE_MAX);
    expect(() => encodeSessionCommand({ token: 't', argv: ['/x', big] })).toThrow(/session reads at most 65535/);
    // Far longer than a kernel command line allows (2048) is fine here.
    expect(() => encodeSessionCommand({ token: 't', argv: ['/x', 'y'.repeat(10000)] })).not.toThrow();
  });

  it('does not take anything else for a command', () => {
    expect(decodeSessionCommand(SESSION_HALT)).toBeUndefined();
    expect(decodeSessionCommand('isobench.run t abc -')).toBeUndefined();
    expect(SESSION_PARAM).toBe('isobench.session=1');
  });
});
