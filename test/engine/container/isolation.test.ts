import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readlinkSync } from 'node:fs';
import { makeTestHome, skipReason, type TestHome } from '../fixtures/hand-rootfs.js';
import { engineFor, runToEnd } from './helpers.js';
import { deleteContainer, type Engine } from '../../../src/engine/index.js';

const reason = skipReason();

describe.skipIf(reason !== '')(`what a container sees ${reason}`, () => {
  let t: TestHome;
  let engine: Engine;
  let out = '';
  let exitCode: number | null = null;
  const NS = ['pid', 'mnt', 'net', 'ipc', 'uts', 'cgroup'];

  beforeAll(async () => {
    t = makeTestHome();
    engine = engineFor(t.home);
    const script = [
      'for n in ' + NS.join(' ') + '; do echo "ns $n $(readlink /proc/self/ns/$n)"; done',
      'echo "pid1 $(readlink /proc/1/exe)"',
      'echo "exes $(for p in /proc/[0-9]*; do readlink $p/exe; done | sort -u | tr "\\n" " ")"',
      'echo "self $$"',
      'grep -E "^(CapEff|CapBnd|CapPrm|CapInh|CapAmb|NoNewPrivs):" /proc/self/status',
      'echo "fds $(ls /proc/self/fd | tr "\\n" " ")"',
      'echo "hostname $(hostname)"',
      'echo "--mountinfo"; cat /proc/1/mountinfo; echo "--end"',
      'echo "kcore $(wc -c < /proc/kcore 2>&1)"',
      'echo "keys $(wc -c < /proc/keys 2>&1)"',
      'touch /proc/sys/kernel/x 2>/dev/null && echo procsys-writable || echo procsys-ro',
      'echo "dev $(ls /dev | tr "\\n" " ")"',
      'mknod /tmp/sda b 8 0 2>&1 && (head -c1 /tmp/sda >/dev/null 2>&1 && echo blk-readable || echo blk-denied) || echo mknod-failed',
      'ls / | tr "\\n" " "; echo',
      'ip link | grep -c "^[0-9]" | sed "s/^/links /"',
    ].join('; ');
    const r = await runToEnd(engine, { id: 'iso', rootfs: { kind: 'overlay', lowerDirs: [t.lower] }, argv: ['/bin/sh', '-c', script], hostname: 'iso-host' });
    out = r.output;
    exitCode = r.exitCode;
    await deleteContainer(engine, 'iso');
  }, 30_000);
  afterAll(() => t?.cleanup());

  const line = (prefix: string): string => out.split('\n').find((l) => l.startsWith(prefix)) ?? '';

  it('exits cleanly', () => expect(exitCode, out).toBe(0));

  it('has its own pid, mnt, net, ipc, uts and cgroup namespaces', () => {
    for (const n of NS) {
      const inside = line(`ns ${n} `).split(' ')[2];
      expect(inside, n).toMatch(new RegExp(`^${n}:\\[\\d+\\]$`));
      expect(inside, n).not.toBe(readlinkSync(`/proc/self/ns/${n}`));
    }
  });

  it('the program is PID 1 (the shim never stays inside)', () => {
    expect(line('self ')).toBe('self 1');
    expect(line('pid1 ')).toBe('pid1 /bin/busybox');
    // every process visible inside runs the image's busybox: no /proc/<pid>/exe leads to the shim
    expect(line('exes ').trim()).toBe('exes /bin/busybox');
  });

  it('drops to containerd\'s 14 capabilities, sets no_new_privs, closes fds above 2', () => {
    expect(line('CapEff:')).toMatch(/00000000a80425fb$/);
    expect(line('CapBnd:')).toMatch(/00000000a80425fb$/);
    expect(line('CapInh:')).toMatch(/0{16}$/);
    expect(line('CapAmb:')).toMatch(/0{16}$/);
    expect(line('NoNewPrivs:')).toMatch(/1$/);
    // ls itself holds one fd (3) for the directory it lists
    expect(line('fds ').trim()).toBe('fds 0 1 2 3');
  });

  it('pivot_root: PID 1 sees only the container\'s mounts, none of the host\'s paths', () => {
    const mi = out.slice(out.indexOf('--mountinfo') + 12, out.indexOf('--end')).trim().split('\n');
    const points = mi.map((l) => l.split(' ')[4]);
    expect(points[0]).toBe('/');
    expect(mi[0]).toContain(' - overlay ');
    expect(points).toEqual(expect.arrayContaining(['/proc', '/sys', '/dev', '/dev/pts', '/dev/shm', '/proc/sys', '/proc/keys']));
    for (const p of points) expect(p!.startsWith('/work') || p!.startsWith('/tmp/') || p!.startsWith('/home')).toBe(false);
    // the root is the image and nothing else: the engine's binaries are not reachable
    expect(line('bin ').trim()).toBe('bin dev etc isobench proc sys tmp');
    expect(out).not.toContain('isobench-nsexec');
  });

  it('masks and read-only paths, minimal /dev, own hostname and network', () => {
    expect(line('keys ')).toBe('keys 0');
    expect(out).toContain('procsys-ro');
    expect(line('dev ').split(' ').filter(Boolean).sort()).toEqual(['dev', 'core', 'fd', 'full', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero'].sort());
    expect(out).not.toContain('blk-readable');
    expect(line('hostname ')).toBe('hostname iso-host');
    expect(line('links ')).toBe('links 1');
  });
});
