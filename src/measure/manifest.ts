import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import os from 'node:os';
import si from 'systeminformation';
import type { EnvironmentInfo, Manifest } from '../results/types.js';
import { gitRevision } from '../core/version.js';

/** Tools whose version is part of a result's provenance: [name, argv, how to pick the line]. */
const TOOLS: [string, string[]][] = [
  ['sysbench', ['sysbench', '--version']],
  ['qemu', ['qemu-system-x86_64', '--version']],
  ['runc', ['runc', '--version']],
  ['bwrap', ['bwrap', '--version']],
  ['busybox', ['busybox']],
  ['gcc', ['gcc', '--version']],
  ['hyperfine', ['hyperfine', '--version']],
];

/** First line of `argv` output, or undefined when the tool is missing. Never throws. */
export function toolVersionLine(argv: string[], timeoutMs = 5000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const text = `${stdout ?? ''}${stderr ?? ''}`.trim();
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return resolve(undefined);
      const line = text.split('\n').find((l) => l.trim().length > 0);
      resolve(line?.trim() || undefined);
    });
  });
}

export type CgroupMode = 'v2' | 'hybrid' | 'v1' | 'none';

/** cgroup v2 has cgroup.controllers at the root; hybrid mounts v2 at /sys/fs/cgroup/unified beside v1. */
export function cgroupMode(root = '/sys/fs/cgroup'): CgroupMode {
  if (existsSync(`${root}/cgroup.controllers`)) return 'v2';
  if (existsSync(`${root}/unified/cgroup.procs`)) return 'hybrid';
  if (existsSync(`${root}/memory`) || existsSync(`${root}/cpu`) || existsSync(`${root}/pids`)) return 'v1';
  return 'none';
}

/** What /dev/kvm looks like from here; whether a guest really boots with it is the VM backend's call. */
export function kvmDeviceState(): string {
  if (!existsSync('/dev/kvm')) return 'absent';
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return 'present';
  } catch {
    return 'present (no access)';
  }
}

/**
 * Host description stored in results.json: hardware and OS from
 * systeminformation, tool versions, git revision, cgroup mode, KVM state
 * (with the accelerator the VM backend actually uses, when it reported one).
 */
export async function collectManifest(environments: EnvironmentInfo[] = []): Promise<Manifest> {
  const [cpu, mem, osInfo, system, versions] = await Promise.all([
    si.cpu(),
    si.mem(),
    si.osInfo(),
    si.system(),
    Promise.all(TOOLS.map(async ([name, argv]) => [name, await toolVersionLine(argv)] as const)),
  ]);
  const tools: Record<string, string> = { node: process.version };
  for (const [name, v] of versions) tools[name] = v ?? 'not installed';
  const vm = environments.find((e) => e.kind === 'vm');
  const cpuFlags = readCpuFlags();
  const hypervisor = cpuFlags.includes(' hypervisor') || cpuFlags.startsWith('hypervisor');
  return {
    hostname: os.hostname(),
    cpu: {
      model: `${cpu.manufacturer} ${cpu.brand}`.trim(),
      cores: cpu.cores,
      physicalCores: cpu.physicalCores,
      ...(cpu.speed ? { mhz: Math.round(cpu.speed * 1000) } : {}),
    },
    memoryBytes: mem.total,
    os: { distro: osInfo.distro, release: osInfo.release, kernel: osInfo.kernel, arch: osInfo.arch },
    virtualization: {
      hostIsVirtual: Boolean(system.virtual) || hypervisor,
      ...(system.virtualHost ? { hypervisor: system.virtualHost } : {}),
      // The VM backend knows more than the device node (e.g. PVM, which boots no ordinary guest).
      kvm: vm?.facts?.kvm ?? kvmDeviceState(),
      ...(vm?.accelerator ? { accelerator: vm.accelerator } : {}),
    },
    cgroup: cgroupMode(),
    tools,
    node: process.version,
    gitRevision: gitRevision(),
  };
}

function readCpuFlags(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags'));
    return line ? line.slice(line.indexOf(':') + 1) : '';
  } catch {
    return '';
  }
}
