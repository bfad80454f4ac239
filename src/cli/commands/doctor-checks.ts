import { existsSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { cgroupMode, kvmDeviceState, toolVersionLine } from '../../measure/manifest.js';
import { findDefaultKernel } from '../../envs/vm/kernel.js';

/** One line of the doctor table. */
export interface DoctorCheck {
  what: string;
  ok: boolean;
  detail: string;
  /** What to do when !ok (Debian package or action). */
  fix?: string;
  /** Which features need it. */
  neededFor: string;
}

function run(argv: string[], timeoutMs = 5000): Promise<{ ok: boolean; text: string }> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ ok: !err, text: `${stdout ?? ''}${stderr ?? ''}`.trim() });
    });
  });
}

/** Tries `unshare --<ns> true`: the quickest real proof the kernel lets us create that namespace. */
async function nsCheck(ns: 'user' | 'pid' | 'net' | 'mount' | 'uts' | 'ipc' | 'cgroup'): Promise<DoctorCheck> {
  const args = ns === 'pid' ? ['unshare', '--pid', '--fork', 'true'] : ['unshare', `--${ns}`, 'true'];
  const r = await run(args);
  return {
    what: `${ns} namespace`,
    ok: r.ok,
    detail: r.ok ? 'unshare works' : r.text.split('\n')[0] || 'unshare failed',
    ...(r.ok ? {} : { fix: ns === 'user' ? 'sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0, or run as root' : 'run as root on a kernel with namespaces (CONFIG_NAMESPACES)' }),
    neededFor: 'container',
  };
}

async function tool(what: string, argv: string[], pkg: string, neededFor: string): Promise<DoctorCheck> {
  const v = await toolVersionLine(argv);
  return { what, ok: v !== undefined, detail: v ?? 'not found', ...(v ? {} : { fix: `apt-get install ${pkg}` }), neededFor };
}

export async function hostChecks(): Promise<DoctorCheck[]> {
  const root = process.getuid?.() === 0;
  const filesystems = (() => { try { return readFileSync('/proc/filesystems', 'utf8'); } catch { return ''; } })();
  const overlay = /\boverlay\b/.test(filesystems);
  const cg = cgroupMode();
  const kvm = kvmDeviceState();
  const checks: DoctorCheck[] = [
    { what: 'root', ok: root, detail: root ? 'uid 0' : `uid ${process.getuid?.()}`, ...(root ? {} : { fix: 'run bench as root (sudo)' }), neededFor: 'chroot, container, mounts, cgroups' },
    ...(await Promise.all((['user', 'pid', 'net', 'mount', 'uts', 'ipc', 'cgroup'] as const).map(nsCheck))),
    { what: 'overlayfs', ok: overlay, detail: overlay ? 'in /proc/filesystems' : 'not in /proc/filesystems', ...(overlay ? {} : { fix: 'modprobe overlay' }), neededFor: 'container' },
    { what: 'cgroups', ok: cg !== 'none', detail: cg === 'hybrid' ? 'v1 + v2 (hybrid)' : cg, ...(cg === 'none' ? { fix: 'mount cgroup2 on /sys/fs/cgroup' } : {}), neededFor: 'container limits' },
    { what: '/dev/kvm', ok: kvm === 'present', detail: `${kvm} (whether a guest really boots with KVM is the vm backend's probe, below)`, ...(kvm === 'present' ? {} : { fix: 'enable virtualization (VT-x/AMD-V) or nested virtualization; VMs fall back to TCG emulation' }), neededFor: 'vm (fast)' },
    await tool('qemu', ['qemu-system-x86_64', '--version'], 'qemu-system-x86 qemu-utils', 'vm'),
    await tool('runc', ['runc', '--version'], 'runc', 'runc peer'),
    await tool('bwrap', ['bwrap', '--version'], 'bubblewrap', 'bwrap peer'),
    await tool('sysbench', ['sysbench', '--version'], 'sysbench', 'workload image (memory; the sysbench-cpu workload type)'),
    await tool('busybox', ['busybox'], 'busybox-static', 'workload image'),
    await tool('hyperfine', ['hyperfine', '--version'], 'hyperfine', 'startup cross-check'),
    await tool('chroot(8)', ['chroot', '--version'], 'coreutils', 'chroot'),
    await tool('gcc', ['gcc', '--version'], 'build-essential', 'native probe build'),
  ];
  // Our guest kernel is what keeps a TCG boot under ~1 s; the stock fallback works but boots ~2x slower.
  const guest = await findDefaultKernel();
  checks.push({
    what: 'guest kernel',
    ok: guest?.origin === 'built',
    detail: guest ? `${guest.file} (${guest.origin === 'built' ? 'isobench\'s minimal kernel' : `stock, ${guest.origin}`})` : 'none found',
    ...(guest?.origin === 'built' ? {} : { fix: 'bash scripts/setup.d/vm-guest-kernel.sh (builds it from linux-source, ~5 min); until then VMs boot the stock kernel' }),
    neededFor: 'vm (fast boot)',
  });
  const staticLibc = existsSync('/usr/lib/x86_64-linux-gnu/libc.a');
  checks.push({ what: 'static libc', ok: staticLibc, detail: staticLibc ? 'libc.a present' : 'libc.a missing', ...(staticLibc ? {} : { fix: 'apt-get install libc6-dev' }), neededFor: 'native probe build' });
  return checks;
}
