import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { makeTestHome, skipReason, hashTree, type TestHome } from '../fixtures/hand-rootfs.js';
import { engineFor, runToEnd, leftovers } from './helpers.js';
import {
  createContainer, startContainer, runContainer, execContainer, stopContainer, killContainer, deleteContainer,
  waitContainer, listContainers, loadState, gcHome, ContainerStateError, ContainerExistsError, type Engine,
} from '../../../src/engine/index.js';

const reason = skipReason();

describe.skipIf(reason !== '')(`container lifecycle, limits and leaks (real) ${reason}`, () => {
  let t: TestHome;
  let engine: Engine;
  beforeEach(() => { t = makeTestHome(); engine = engineFor(t.home); });
  afterEach(() => t.cleanup());
  const overlay = (): { kind: 'overlay'; lowerDirs: string[] } => ({ kind: 'overlay', lowerDirs: [t.lower] });

  it('created -> running -> stopped, with guards at every step', async () => {
    const c = await createContainer(engine, { id: 'lc', rootfs: overlay(), argv: ['/bin/sh', '-c', 'echo started; sleep 30'] });
    expect(c.status).toBe('created');
    expect((await loadState(t.home, 'lc')).status).toBe('created');
    await expect(deleteContainer(engine, 'lc')).rejects.toBeInstanceOf(ContainerStateError);
    await expect(execContainer(engine, 'lc', ['/bin/true'])).rejects.toBeInstanceOf(ContainerStateError);
    await expect(createContainer(engine, { id: 'lc', rootfs: overlay() })).rejects.toBeInstanceOf(ContainerExistsError);
    expect((await startContainer(engine, 'lc')).status).toBe('running');
    await expect(startContainer(engine, 'lc')).rejects.toBeInstanceOf(ContainerStateError);
    const ex = await execContainer(engine, 'lc', ['/bin/sh', '-c', 'echo $$; ps -o pid,args | grep -c sleep; hostname'], { stdio: 'pipe' });
    expect(ex.exitCode).toBe(0);
    // exec joined the pid namespace: it sees the init's sleep and is not PID 1 itself
    expect(ex.output.split('\n')[0]).not.toBe('1');
    expect(ex.output).toContain('lc');
    expect((await listContainers(engine)).map((s) => s.id)).toEqual(['lc']);
    const stopped = await stopContainer(engine, 'lc', 200);
    expect(stopped.status).toBe('stopped');
    expect(stopped.exitCode).toBe(137);
    await expect(killContainer(engine, 'lc')).rejects.toBeInstanceOf(ContainerStateError);
    expect(readFileSync(path.join(t.home.containers, 'lc', 'output.log'), 'utf8')).toContain('started');
    await deleteContainer(engine, 'lc');
    expect(existsSync(path.join(t.home.containers, 'lc'))).toBe(false);
    expect(leftovers(t.home, engine)).toEqual([]);
  }, 30_000);

  it('a set-up failure is reported with the shim\'s reason, and leaves a removable stopped container', async () => {
    await expect(createContainer(engine, { id: 'bad', rootfs: { kind: 'overlay', lowerDirs: [path.join(t.home.root, 'no-such-layer')] } })).rejects.toThrow(/mount.*No such file/);
    const s = await loadState(t.home, 'bad');
    expect(s.status).toBe('stopped');
    expect(s.exitCode).toBe(125);
    await deleteContainer(engine, 'bad');
    expect(leftovers(t.home, engine)).toEqual([]);
  }, 30_000);

  it('OOM: a 32 MiB container allocating 64 MiB is killed by the kernel', async () => {
    // busybox tail -c N buffers N bytes: a real allocation that grows past the limit
    const r = await runToEnd(engine, { id: 'oom', rootfs: overlay(), limits: { memoryBytes: 32 << 20 }, argv: ['/bin/sh', '-c', 'head -c 67108864 /dev/zero | tail -c 67108864 > /dev/null'] });
    expect(r.exitCode, r.output).toBe(137);
    const stats = await engine.cgroups.stats(engine.cgroupParent, 'oom');
    expect(stats.memoryLimitBytes).toBe(32 << 20);
    expect(stats.oomKills).toBeGreaterThanOrEqual(1);
    // the same allocation fits in 128 MiB
    const ok = await runToEnd(engine, { id: 'fits', rootfs: overlay(), limits: { memoryBytes: 128 << 20 }, argv: ['/bin/sh', '-c', 'head -c 67108864 /dev/zero | tail -c 67108864 | wc -c'] });
    expect(ok.output.trim()).toBe('67108864');
    await deleteContainer(engine, 'oom');
    await deleteContainer(engine, 'fits');
    expect(leftovers(t.home, engine)).toEqual([]);
  }, 30_000);

  it('pids limit is enforced', async () => {
    const r = await runToEnd(engine, { id: 'pids', rootfs: overlay(), limits: { pids: 5 }, argv: ['/bin/sh', '-c', 'for i in 1 2 3 4 5 6 7 8; do sleep 5 & done 2>&1; echo spawned; kill $(jobs -p) 2>/dev/null; true'] });
    expect(r.output).toMatch(/can't fork|Resource temporarily unavailable|Try again/i);
    await deleteContainer(engine, 'pids');
  }, 30_000);

  it('the image stays byte-identical after writes, deletes and renames inside', async () => {
    const before = hashTree(t.lower);
    const r = await runToEnd(engine, { id: 'w', rootfs: overlay(), argv: ['/bin/sh', '-c', 'echo new > /etc/new; rm /bin/ls; mv /isobench/probe /isobench/moved; echo x >> /isobench/moved; rm -r /etc; mkdir /etc; ls /bin/ls 2>&1; echo done'] });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain('No such file');
    expect(hashTree(t.lower)).toBe(before);
    // the changes live in the container's rw layer: a whiteout for the deleted file, a copy-up for the appended one
    const upper = path.join(t.home.containers, 'w', 'upper');
    const wh = statSync(path.join(upper, 'bin', 'ls'));
    expect(wh.isCharacterDevice()).toBe(true);
    expect(wh.rdev).toBe(0);
    expect(statSync(path.join(upper, 'isobench', 'moved')).size).toBe(statSync(path.join(t.lower, 'isobench', 'probe')).size + 2);
    // a second container from the same image sees the original files
    const again = await runToEnd(engine, { id: 'w2', rootfs: overlay(), argv: ['/bin/sh', '-c', 'ls /bin/ls /isobench/probe'] });
    expect(again.exitCode, again.output).toBe(0);
    await deleteContainer(engine, 'w');
    await deleteContainer(engine, 'w2');
  }, 30_000);

  it('leaks: nothing left after run --rm', async () => {
    const r = await runContainer(engine, { id: 'rm1', rootfs: overlay(), argv: ['/bin/true'], limits: { memoryBytes: 64 << 20 } }, undefined, { rm: true });
    expect(r.exitCode).toBe(0);
    expect(existsSync(path.join(t.home.containers, 'rm1'))).toBe(false);
    expect(leftovers(t.home, engine)).toEqual([]);
  }, 30_000);

  it('leaks: kill -9 of a running container\'s shim, then gc, leaves no mount, cgroup or dir', async () => {
    const { state } = await runContainer(engine, { id: 'k9', rootfs: overlay(), argv: ['/bin/sleep', '60'], limits: { memoryBytes: 64 << 20 } }, undefined, { detach: true });
    const cg = engine.cgroups.dirs(engine.cgroupParent, 'k9');
    expect(cg.every((d) => existsSync(d))).toBe(true);
    // the init joins its cgroup as its first step, right after the shim recorded its pid
    let pids: number[] = [];
    for (let i = 0; i < 100 && !pids.includes(state.initPid!); i++) { pids = await engine.cgroups.pids(engine.cgroupParent, 'k9'); await new Promise((r) => setTimeout(r, 10)); }
    expect(pids).toContain(state.initPid);
    process.kill(state.shimPid!, 'SIGKILL');
    // PDEATHSIG takes the container init (and with it the whole pid namespace) down
    const end = await waitContainer(engine, 'k9', 5000);
    expect(end.status).toBe('stopped');
    for (let i = 0; i < 100 && existsSync(`/proc/${state.initPid}`); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(`/proc/${state.initPid}`)).toBe(false);
    const report = await gcHome(t.home);
    expect(report.containers).toEqual(['k9']);
    expect(readdirSync(t.home.containers)).toEqual([]);
    expect(leftovers(t.home, engine)).toEqual([]);
  }, 30_000);

  it('gc keeps running containers and sweeps orphan cgroups of this home only', async () => {
    const { state } = await runContainer(engine, { id: 'live', rootfs: overlay(), argv: ['/bin/sleep', '60'] }, undefined, { detach: true });
    const orphan = engine.cgroups.plan(engine.cgroupParent, 'orphan', {}).dirs;
    for (const d of orphan) mkdirSync(d, { recursive: true });
    const report = await gcHome(t.home);
    expect(report.kept).toContain('live');
    expect(report.cgroups).toEqual(['orphan']);
    expect(orphan.some((d) => existsSync(d))).toBe(false);
    expect((await loadState(t.home, state.id)).status).toBe('running');
    await deleteContainer(engine, 'live', { force: true });
    expect(leftovers(t.home, engine)).toEqual([]);
  }, 30_000);

  it('20 containers from one image at once: separate pid namespaces, each only its own rw layer', async () => {
    const before = hashTree(t.lower);
    const ids = Array.from({ length: 20 }, (_, i) => `m${i}`);
    const states = await Promise.all(ids.map((id) => runContainer(engine, { id, rootfs: overlay(), argv: ['/bin/sh', '-c', `echo ${id} > /tmp/mine; sleep 60`] }, undefined, { detach: true })));
    const running = await listContainers(engine);
    expect(running.filter((s) => s.status === 'running')).toHaveLength(20);
    const pidNs = new Set(states.map((s) => readlinkSync(`/proc/${s.state.initPid}/ns/pid`)));
    expect(pidNs.size).toBe(20);
    for (const id of ids) {
      const ex = await execContainer(engine, id, ['/bin/cat', '/tmp/mine'], { stdio: 'pipe' });
      expect(ex.output.trim()).toBe(id);
    }
    await Promise.all(ids.map((id) => deleteContainer(engine, id, { force: true })));
    expect(hashTree(t.lower)).toBe(before);
    expect(leftovers(t.home, engine)).toEqual([]);
  }, 60_000);
});

