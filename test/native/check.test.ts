import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync, writeFileSync, mkdirSync, copyFileSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { NATIVE_DIR } from '../../src/core/version.js';

const probe = path.join(NATIVE_DIR, 'isobench-probe');
const run = (args: string[]) => spawnSync(probe, ['check', ...args], { encoding: 'utf8' });
const isRoot = process.getuid?.() === 0;

function lines(stdout: string): Record<string, unknown>[] {
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

function byCheck(stdout: string): Map<string, Record<string, unknown>> {
  return new Map(lines(stdout).map((l) => [String(l.check), l]));
}

const shmKeys = (): string => readFileSync('/proc/sysvipc/shm', 'utf8');

describe('probe check (native, on the host)', () => {
  it('prints one valid JSON line per check, in a fixed order', () => {
    const r = run(['all']);
    expect(r.status).toBe(0);
    expect(lines(r.stdout).map((l) => l.check)).toEqual([
      'namespaces', 'kernel', 'hypervisor', 'processes', 'root', 'network', 'hostname', 'ipc',
      'mounts', 'chroot-escape', 'privileges', 'masked-paths', 'devices', 'syscalls', 'cgroup-escape', 'host-binary',
      'memory-limit',
    ]);
  });

  it('escape checks on the host: no filter, a user namespace can be made, the host binary given as a fact is found', () => {
    const st = statSync(process.execPath);
    const m = byCheck(run(['syscalls', 'host-binary', '--hostbin', `${st.dev}:${st.ino}`]).stdout);
    const sys = m.get('syscalls')!;
    expect(sys.seccomp).toBe(0);
    expect((sys.calls as Record<string, string>).keyctl).toBe('EOPNOTSUPP');
    expect((sys.calls as Record<string, string>).bpf).not.toBe('ok');
    // This very test process runs node: its /proc/<pid>/exe matches.
    expect(m.get('host-binary')!.host_binary_matches).toBeGreaterThan(0);
    expect(m.get('host-binary')!.open_write).toBe('ETXTBSY');
  });

  it('reports the same namespace ids and boot_id as the harness reads', () => {
    const m = byCheck(run(['namespaces', 'kernel']).stdout);
    const ns = m.get('namespaces')!.ns as Record<string, string>;
    for (const n of ['net', 'mnt', 'ipc', 'uts']) expect(ns[n]).toBe(readlinkSync(`/proc/self/ns/${n}`));
    expect(ns.pid).toMatch(/^pid:\[\d+\]$/);
    expect(m.get('kernel')!.boot_id).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    expect(m.get('kernel')!.release).toBe(os.release());
  });

  it('--facts carries percent-encoded values (paths with / and ,) in one argument', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isobench-facts-'));
    try {
      const sentinel = path.join(dir, 'a,b=c');
      writeFileSync(sentinel, 'tok,1\n');
      const facts = `sentinel=${encodeURIComponent(sentinel)},sentinel-token=${encodeURIComponent('tok,1')},pid=${process.pid}`;
      const m = byCheck(run(['chroot-escape', 'processes', '--facts', facts]).stdout);
      expect(m.get('chroot-escape')).toMatchObject({ sentinel, direct: 'present-token' });
      expect(m.get('processes')).toMatchObject({ pid: process.pid, kill0: 'ok' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects unknown checks and options', () => {
    expect(run(['nope']).status).toBe(2);
    expect(run(['all', '--bogus', '1']).status).toBe(2);
  });

  it.skipIf(!isRoot)('sentinel: holds the token and the shm key, removes the segment on SIGTERM', async () => {
    const key = 0x5a000000 + Math.floor(Math.random() * 0xffffff);
    const token = `tok${Math.random().toString(36).slice(2)}`;
    const child = spawn(probe, ['check', 'sentinel', '--token', token, '--shm-key', String(key), '--max-seconds', '60']);
    try {
      const first = await new Promise<string>((res) => child.stdout.once('data', (b: Buffer) => res(b.toString())));
      expect(first).toMatch(/^ready \d+ \d+/);
      expect(shmKeys()).toMatch(new RegExp(`^\\s*${key}\\s`, 'm'));
      const m = byCheck(run(['processes', 'ipc', '--pid', String(child.pid), '--token', token, '--shm-key', String(key)]).stdout);
      expect(m.get('processes')).toMatchObject({ kill0: 'ok', cmdline_token: true });
      expect(m.get('ipc')).toMatchObject({ shmget: 'ok' });
      const wrong = byCheck(run(['processes', '--pid', String(child.pid), '--token', 'other-token']).stdout);
      expect(wrong.get('processes')).toMatchObject({ cmdline_token: false });
    } finally {
      child.kill('SIGTERM');
      await new Promise((res) => child.once('exit', res));
    }
    expect(shmKeys()).not.toMatch(new RegExp(`^\\s*${key}\\s`, 'm'));
    const gone = byCheck(run(['ipc', '--shm-key', String(key)]).stdout);
    expect(gone.get('ipc')).toMatchObject({ shmget: 'ENOENT' });
  });

  it('network: connects to a loopback listener and reads its token; refused once it is closed', async () => {
    const token = 'nettoken123';
    const server = net.createServer((s) => s.end(`${token}\n`));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as net.AddressInfo).port;
    try {
      // spawnSync would block the event loop that accepts the connection.
      const out = await new Promise<string>((res) => {
        const c = spawn(probe, ['check', 'network', '--port', String(port), '--token', token]);
        let s = '';
        c.stdout.on('data', (b: Buffer) => { s += b.toString(); });
        c.on('close', () => res(s));
      });
      expect(byCheck(out).get('network')).toMatchObject({ connect: 'connected', listener_token: true });
      expect((byCheck(out).get('network')!.interfaces as string[])).toContain('lo');
    } finally {
      await new Promise((res) => server.close(res));
    }
    expect(byCheck(run(['network', '--port', String(port)]).stdout).get('network')).toMatchObject({ connect: 'refused' });
  });

  it.skipIf(!isRoot)('writing checks use a fresh scratch dir, remove everything, and refuse an existing one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isobench-check-'));
    try {
      const scratch = path.join(dir, 'scratch');
      const r = run(['mounts', 'devices', 'memory-limit', '--scratch', scratch]);
      expect(r.status).toBe(0);
      const m = byCheck(r.stdout);
      expect(m.get('mounts')).toMatchObject({ tmpfs_mount: 'ok', umount: 'ok' });
      expect(m.get('devices')).toMatchObject({ mknod_null: 'ok', open_null: 'ok', mknod_kmsg: 'ok', open_kmsg: 'ok' });
      expect(m.get('memory-limit')).toMatchObject({ alloc_mib: 128, result: 'survived' });
      expect(existsSync(scratch)).toBe(false);
      mkdirSync(scratch);
      writeFileSync(path.join(scratch, 'keep'), 'x');
      const again = byCheck(run(['mounts', 'devices', '--scratch', scratch]).stdout);
      expect(again.get('mounts')!.skipped_mount).toBe('no fresh scratch dir');
      expect(again.get('devices')!.skipped_mknod).toBe('no fresh scratch dir');
      expect(readFileSync(path.join(scratch, 'keep'), 'utf8')).toBe('x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!isRoot)('chroot escape: from inside a real chroot the sentinel is absent directly but seen after the escape', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isobench-escape-'));
    try {
      const tree = path.join(dir, 'tree');
      mkdirSync(path.join(tree, 'tmp'), { recursive: true });
      copyFileSync(probe, path.join(tree, 'probe'));
      spawnSync('chmod', ['755', path.join(tree, 'probe')]);
      const sentinel = path.join(dir, 'sentinel');
      writeFileSync(sentinel, 'sentinel-token-1\n');
      const r = spawnSync('chroot', [tree, '/probe', 'check', 'chroot-escape', 'root',
        '--sentinel', sentinel, '--sentinel-token', 'sentinel-token-1', '--scratch', '/tmp/s',
        '--pid', String(process.pid)], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      const m = byCheck(r.stdout);
      expect(m.get('chroot-escape')).toMatchObject({ direct: 'absent:ENOENT', escaped: 'present-token' });
      expect(existsSync(path.join(tree, 'tmp', 's'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
