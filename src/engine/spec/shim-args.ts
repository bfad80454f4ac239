import type { ContainerSpec } from './container-spec.js';
import type { CgroupPlan } from '../cgroups/types.js';
import type { ContainerPaths } from '../rootfs/paths.js';

export interface ShimRunFiles {
  pidFile?: string;
  exitFile?: string;
  startFifo?: string;
  trace?: boolean;
}

/**
 * The policy -> argv translation (protocol: src/native/nsexec/main.c). The
 * shim adds nothing of its own, so this function is the whole description of
 * what a container gets.
 */
export function shimRunArgs(spec: ContainerSpec, paths: ContainerPaths, cgroups: CgroupPlan, files: ShimRunFiles = {}): string[] {
  const a: string[] = [];
  if (files.trace) a.push('--trace');
  const ns = spec.namespaces.filter((n) => !(n === 'net' && spec.network.mode !== 'loopback'));
  a.push('--ns', ns.join(','));
  if (spec.network.mode === 'netns') a.push('--netns', spec.network.path);
  if (spec.rootfs.kind === 'overlay') {
    for (const d of spec.rootfs.lowerDirs) a.push('--lower', d);
    a.push('--upper', paths.upper, '--work', paths.work, '--rootfs', paths.rootfs);
  } else {
    a.push('--rootfs', spec.rootfs.dir);
  }
  if (spec.namespaces.includes('uts')) a.push('--hostname', spec.hostname);
  for (const d of cgroups.dirs) a.push('--cgroup', d);
  for (const f of cgroups.joinFiles) a.push('--cgroup-join', f);
  for (const w of cgroups.writes) a.push('--cgroup-set', `${w.file}=${w.value}`);
  if (cgroups.deviceProgram) {
    a.push('--device-cgroup', cgroups.deviceProgram.dir);
    for (const r of cgroups.deviceProgram.rules) a.push('--device-allow', `${r.type}:${r.major ?? '*'}:${r.minor ?? '*'}:${r.access}`);
  }
  for (const d of spec.devices) a.push('--device', `${d.name}:${d.type}:${d.major}:${d.minor}:${d.mode.toString(8)}`);
  for (const m of spec.mounts) a.push(m.readonly ? '--bind-ro' : '--bind', m.source, m.destination);
  for (const p of spec.maskedPaths) a.push('--mask', p);
  for (const p of spec.readonlyPaths) a.push('--ro', p);
  if (spec.capabilities !== null) a.push('--caps', spec.capabilities.join(','));
  if (spec.noNewPrivileges) a.push('--no-new-privs');
  a.push('--seccomp', spec.seccomp);
  if (spec.network.mode === 'loopback') a.push('--lo');
  for (const e of spec.env) a.push('--env', e);
  a.push('--cwd', spec.cwd);
  if (files.pidFile) a.push('--pid-file', files.pidFile);
  if (files.exitFile) a.push('--exit-file', files.exitFile);
  if (files.startFifo) a.push('--start-fifo', files.startFifo);
  a.push('--', ...spec.argv);
  return a;
}

/** argv for exec mode: enter the namespaces of `initPid`, same caps and nnp as the container. */
export function shimExecArgs(spec: ContainerSpec, initPid: number, cgroupJoinFiles: string[], argv: string[], env: string[], cwd: string): string[] {
  const a: string[] = ['--join', String(initPid)];
  for (const f of cgroupJoinFiles) a.push('--cgroup-join', f);
  if (spec.capabilities !== null) a.push('--caps', spec.capabilities.join(','));
  if (spec.noNewPrivileges) a.push('--no-new-privs');
  // Older state files have no seccomp field: they were started before the filter existed.
  a.push('--seccomp', spec.seccomp ?? 'unconfined');
  for (const e of env) a.push('--env', e);
  a.push('--cwd', cwd, '--', ...argv);
  return a;
}
