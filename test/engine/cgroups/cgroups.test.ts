import { describe, it, expect } from 'vitest';
import { CgroupV1, CgroupV2, detectCgroups, parseCgroupMounts, DEVICE_ALLOW_LIST, deviceRuleText, type CgroupManager, type HostOps } from '../../../src/engine/cgroups/index.js';
import { normalizeSpec } from '../../../src/engine/spec/container-spec.js';
import { shimRunArgs } from '../../../src/engine/spec/shim-args.js';
import { pathsIn } from '../../../src/engine/rootfs/paths.js';

/** Records every call; a tiny in-memory tree of dirs and files. */
function fakeOps(mountinfo = ''): HostOps & { calls: string[]; files: Map<string, string>; dirs: Set<string> } {
  const files = new Map<string, string>();
  const dirs = new Set<string>();
  const calls: string[] = [];
  return {
    calls, files, dirs,
    readFile: async (p) => { calls.push(`read ${p}`); const v = files.get(p); if (v === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' }); return v; },
    writeFile: async (p, v) => { calls.push(`write ${p}=${v}`); files.set(p, v); },
    mkdir: async (p) => { calls.push(`mkdir ${p}`); dirs.add(p); },
    rmdir: async (p) => { calls.push(`rmdir ${p}`); if (!dirs.delete(p)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' }); },
    listDirs: async (p) => [...dirs].filter((d) => d.startsWith(p + '/') && !d.slice(p.length + 1).includes('/')).map((d) => d.slice(p.length + 1)),
    exists: async (p) => dirs.has(p) || files.has(p),
    mountinfo: () => mountinfo,
  };
}

const HYBRID = [
  '25 24 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755',
  '26 25 0:23 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw',
  '27 25 0:24 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory',
  '28 25 0:25 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids',
  '29 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct',
].join('\n');
const PURE_V2 = '25 24 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate';

describe('cgroup detection', () => {
  it('hybrid hosts use v1 controllers; unified-only hosts use v2', () => {
    expect(parseCgroupMounts(HYBRID).filter((m) => m.type === 'cgroup')).toHaveLength(3);
    const v1 = detectCgroups(fakeOps(HYBRID));
    expect(v1.version).toBe(1);
    expect(v1.dirs('isobench-t', 'c')).toEqual(['/sys/fs/cgroup/memory/isobench-t/c', '/sys/fs/cgroup/pids/isobench-t/c', '/sys/fs/cgroup/cpu,cpuacct/isobench-t/c']);
    const v2 = detectCgroups(fakeOps(PURE_V2));
    expect(v2.version).toBe(2);
    expect(v2.dirs('isobench-t', 'c')).toEqual(['/sys/fs/cgroup/isobench-t/c']);
    expect(() => detectCgroups(fakeOps(''))).toThrow(/no usable cgroup/);
  });
});

describe('CgroupV2 (recording fake)', () => {
  it('plans subtree_control first, then memory.max + swap 0, pids.max, cpu.max', () => {
    const cg = new CgroupV2(fakeOps(), '/cg');
    const plan = cg.plan('isobench-t', 'c1', { memoryBytes: 33554432, pids: 10, cpus: 1.5 });
    expect(plan.dirs).toEqual(['/cg/isobench-t/c1']);
    expect(plan.joinFiles).toEqual(['/cg/isobench-t/c1/cgroup.procs']);
    expect(plan.writes).toEqual([
      { file: '/cg/isobench-t/cgroup.subtree_control', value: '+memory +pids +cpu' },
      { file: '/cg/isobench-t/c1/memory.max', value: '33554432' },
      { file: '/cg/isobench-t/c1/memory.swap.max', value: '0' },
      { file: '/cg/isobench-t/c1/pids.max', value: '10' },
      { file: '/cg/isobench-t/c1/cpu.max', value: '150000 100000' },
    ]);
    expect(cg.plan('p', 'c', {}).writes).toEqual([]);
  });

  it('remove, list, pids, stats and parent clean-up go through HostOps', async () => {
    const ops = fakeOps();
    const cg = new CgroupV2(ops, '/cg');
    ops.dirs.add('/cg/p'); ops.dirs.add('/cg/p/a'); ops.dirs.add('/cg/p/b');
    ops.files.set('/cg/p/a/cgroup.procs', '12\n13\n');
    ops.files.set('/cg/p/a/memory.events', 'low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n');
    ops.files.set('/cg/p/a/memory.max', '33554432\n');
    expect(await cg.list('p')).toEqual(['a', 'b']);
    expect(await cg.pids('p', 'a')).toEqual([12, 13]);
    expect(await cg.stats('p', 'a')).toEqual({ oomKills: 1, memoryLimitBytes: 33554432 });
    expect(await cg.remove('p', 'b')).toEqual(['/cg/p/b']);
    expect(await cg.remove('p', 'b')).toEqual([]);
    await cg.removeParentIfEmpty('p');
    expect(ops.dirs.has('/cg/p')).toBe(true);
    await cg.remove('p', 'a');
    await cg.removeParentIfEmpty('p');
    expect(ops.dirs.has('/cg/p')).toBe(false);
  });
});

describe('CgroupV1 (recording fake)', () => {
  it('writes limit_in_bytes, pids.max and cfs quota/period in their own hierarchies', () => {
    const cg = new CgroupV1(fakeOps(), { memory: '/m', pids: '/p', cpu: '/c' });
    expect(cg.joinFiles('x', 'c')).toEqual(['/m/x/c/tasks', '/p/x/c/tasks', '/c/x/c/tasks']);
    expect(cg.plan('x', 'c', { memoryBytes: 1 << 25, pids: 5, cpus: 0.5 }).writes).toEqual([
      { file: '/m/x/c/memory.limit_in_bytes', value: String(1 << 25) },
      { file: '/p/x/c/pids.max', value: '5' },
      { file: '/c/x/c/cpu.cfs_period_us', value: '100000' },
      { file: '/c/x/c/cpu.cfs_quota_us', value: '50000' },
    ]);
  });

  it('sweeps every v1 hierarchy when removing (peers like runc join them all)', async () => {
    const ops = fakeOps();
    const cg = new CgroupV1(ops, { memory: '/m', pids: '/p', cpu: '/c' }, ['/m', '/p', '/c', '/freezer']);
    ops.dirs.add('/freezer/x'); ops.dirs.add('/freezer/x/runc-1'); ops.dirs.add('/m/x'); ops.dirs.add('/m/x/runc-1');
    expect(await cg.list('x')).toEqual(['runc-1']);
    expect(await cg.remove('x', 'runc-1')).toEqual(['/m/x/runc-1', '/freezer/x/runc-1']);
    await cg.removeParentIfEmpty('x');
    expect([...ops.dirs]).toEqual([]);
  });

  it('reads oom_kill from memory.oom_control', async () => {
    const ops = fakeOps();
    ops.files.set('/m/x/c/memory.oom_control', 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n');
    ops.files.set('/m/x/c/memory.limit_in_bytes', '9223372036854771712\n');
    const cg = new CgroupV1(ops, { memory: '/m', pids: '/p', cpu: '/c' });
    expect(await cg.stats('x', 'c')).toEqual({ oomKills: 2, memoryLimitBytes: null });
  });
});

describe('device confinement (recording fakes)', () => {
  const V1_HYBRID = [
    '31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755',
    '32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu',
    '34 31 0:31 / /sys/fs/cgroup/cpuset rw - cgroup cgroup rw,cpuset',
    '35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory',
    '36 31 0:33 / /sys/fs/cgroup/devices rw - cgroup cgroup rw,devices',
    '37 31 0:34 / /sys/fs/cgroup/freezer rw - cgroup cgroup rw,freezer',
    '39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids',
    '40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd',
    '41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw',
  ].join('\n');

  function v1(): CgroupManager {
    const ops = fakeOps(V1_HYBRID);
    ops.readFileSync = (p: string) => ({ '/sys/fs/cgroup/cpuset/cpuset.effective_cpus': '0-1\n', '/sys/fs/cgroup/cpuset/cpuset.effective_mems': '0\n' } as Record<string, string>)[p];
    return detectCgroups(ops);
  }

  it('v1: an own cgroup in every v1 hierarchy (named ones too), joined through tasks; cpuset gets the root\'s cpus and mems, parent first', () => {
    const plan = v1().plan('isobench-t', 'c', {});
    expect(plan.joinFiles.map((f) => f.split('/')[4])).toEqual(['memory', 'pids', 'cpu', 'devices', 'cpuset', 'freezer', 'systemd']);
    expect(plan.joinFiles.every((f) => f.endsWith('/isobench-t/c/tasks'))).toBe(true);
    const cpuset = plan.writes.filter((w) => w.file.includes('/cpuset/')).map((w) => `${w.file}=${w.value}`);
    expect(cpuset).toEqual([
      '/sys/fs/cgroup/cpuset/isobench-t/cpuset.cpus=0-1', '/sys/fs/cgroup/cpuset/isobench-t/cpuset.mems=0',
      '/sys/fs/cgroup/cpuset/isobench-t/c/cpuset.cpus=0-1', '/sys/fs/cgroup/cpuset/isobench-t/c/cpuset.mems=0',
    ]);
  });

  it('v1: devices deny-all first, then exactly the allow-list', () => {
    const dev = v1().plan('isobench-t', 'c', {}).writes.filter((w) => w.file.includes('/devices/'));
    expect(dev[0]).toEqual({ file: '/sys/fs/cgroup/devices/isobench-t/c/devices.deny', value: 'a' });
    expect(dev.slice(1).map((w) => w.value)).toEqual(DEVICE_ALLOW_LIST.map(deviceRuleText));
    expect(dev.slice(1).every((w) => w.file.endsWith('/devices.allow'))).toBe(true);
    expect(deviceRuleText(DEVICE_ALLOW_LIST[0]!)).toBe('c *:* m');
    expect(DEVICE_ALLOW_LIST.map(deviceRuleText)).toContain('c 136:* rwm');
  });

  it('v1 weakened (tests only): without devices no deny, with limits-only no extra hierarchy', () => {
    const cg = v1();
    expect(cg.plan('p', 'c', {}, { devices: false }).writes.some((w) => w.file.includes('devices'))).toBe(false);
    const plan = cg.plan('p', 'c', {}, { devices: false, allHierarchies: false });
    expect(plan.joinFiles.map((f) => f.split('/')[4])).toEqual(['memory', 'pids', 'cpu']);
  });

  it('v2: a device program on the container\'s cgroup with the same allow-list, passed to the shim as rules', () => {
    const ops = fakeOps(PURE_V2);
    const cg = detectCgroups(ops);
    const plan = cg.plan('isobench-t', 'c', { pids: 10 });
    expect(plan.deviceProgram).toEqual({ dir: '/sys/fs/cgroup/isobench-t/c', rules: [...DEVICE_ALLOW_LIST] });
    expect(cg.plan('isobench-t', 'c', {}, { devices: false }).deviceProgram).toBeUndefined();
    const spec = normalizeSpec({ id: 'c', rootfs: { kind: 'dir', dir: '/r' } });
    const argv = shimRunArgs(spec, pathsIn('/h/c'), plan);
    const i = argv.indexOf('--device-cgroup');
    expect(argv[i + 1]).toBe('/sys/fs/cgroup/isobench-t/c');
    const rules = argv.flatMap((a, k) => (a === '--device-allow' ? [argv[k + 1]] : []));
    expect(rules).toEqual(['c:*:*:m', 'b:*:*:m', 'c:1:3:rwm', 'c:1:5:rwm', 'c:1:7:rwm', 'c:1:8:rwm', 'c:1:9:rwm', 'c:5:0:rwm', 'c:5:1:rwm', 'c:5:2:rwm', 'c:136:*:rwm']);
    // Nothing touched the (fake) host: the plan is data for the shim.
    expect(ops.calls).toEqual([]);
  });
});
