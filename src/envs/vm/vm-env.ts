import { existsSync } from 'node:fs';
import { mkdir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Availability, Limits, PeerAddress, PrepareHints, Prepared, Running, RunPresentation, Session, SessionSpec, WorkloadInvocation, WorkloadOutput } from '../types.js';
import { GUEST_NET, networkInitrd } from './guest-net.js';
import type { EnvContext } from '../context.js';
import type { ImageRef } from '../../image/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { HostRequirementError, describeError } from '../../core/errors.js';
import { launchTimed, timerPath, LaunchError, type TimedProcess } from '../launch.js';
import { BASE_ENV, defaultUnpack, type UnpackFn } from '../image-rootfs.js';
import { TimedEnvironment } from '../base.js';
import { buildInitramfs, buildProbeInitramfs, buildBaseDisk, buildDiskInitramfs, createOverlay, type Initramfs, type BaseDisk } from '../../image/vm/index.js';
import { resolveGuestKernel, type GuestKernel } from './kernel.js';
import { bootIdentity, verdictOrigin } from '../verdict-cache.js';
import { acceleratorLabel, accelCacheKey, accelCacheParts, cachedAccelDecision, decideAccelerator, detectKvmFlavor, type AccelDecision, type ProbeBootResult } from './accel.js';
import { normalizeVmOptions, bootAllowance, type VmOptions, type VmOptionsInput } from './options.js';
import { kernelParams, machineOption, qemuArgv } from './qemu-args.js';
import { encodeGuestParams, joinKernelCmdline, SESSION_PARAM } from './cmdline.js';
import { parseGuestConsole } from './console.js';
import { hostTscKhz, qemuVersion } from './host-facts.js';
import { ownerRecord, reapVmDir, writeOwner, VM_DIR_PREFIX } from './gc.js';
import { VmGuestError } from './errors.js';
import { VmSession, sessionRunOutput } from './vm-session.js';
import { awaitInstanceReady, EarlyOutput, sessionToken } from '../session/instance-start.js';

export interface VmPrepared extends Prepared {
  readonly kernel: GuestKernel;
  /** The image as an initramfs; absent when every scenario of this image boots from the disk (built on first use then). */
  readonly initramfs?: Initramfs;
  readonly accel: AccelDecision;
  readonly tscKhz: number | undefined;
  /** The image itself: the disk presentation is built from it on first use. */
  readonly image: ImageRef;
  /** Disk presentation for every run (vm option presentation=disk): the read-only base disk, the modules and the boot initramfs that loads them. */
  readonly disk?: VmDisk;
}

interface VmDisk { base: BaseDisk; modules: string[]; boot: string }

/** What each presentation puts under the guest's writable dirs: said in every result. */
export const VM_PRESENTATIONS = {
  initramfs: {
    name: 'initramfs',
    scratchInRam: true,
    description: 'initramfs: the image unpacked into guest RAM; /tmp is a tmpfs (fsync costs nothing there)',
  },
  disk: {
    name: 'disk',
    scratchInRam: false,
    description: 'virtio-blk disk: the image as a read-only ext4 base (cached per image digest) + a qcow2 copy-on-write overlay per VM, deleted with it; / and /tmp on that disk',
  },
} as const;

interface VmRun { vmDir: string; token: string }

/**
 * The longest a session's QEMU may live (isobench-timer's limit): a last line
 * only. A session ends with its scenario, each of its runs has its own
 * timeout, and its boot has the usual allowance.
 */
export const SESSION_MAX_MS = 12 * 3600_000;

/**
 * Largest share of guest RAM an initramfs may take before the image boots
 * from a disk instead. Unpacking holds the archive and its files in RAM at
 * once, and every small file takes at least a page: isobench's applications
 * image (a 95 MiB archive) failed to unpack in 256 MiB ("Initramfs unpacking
 * failed: write error") although it was under 40%.
 */
export const INITRAMFS_RAM_SHARE = 0.25;

/**
 * The workload image booted as a QEMU guest: isobench's own guest kernel (or
 * a stock one; uncompressed, PVH entry) on -M microvm, the image's layers as
 * the initramfs, the probe as PID 1. Startup = QEMU spawn -> the token the guest's init prints on the
 * serial console; the workload's output and exit status come back on the
 * same console. KVM when a probe boot shows it really works, else TCG,
 * labelled "emulated (TCG)" wherever a figure appears.
 */
export class VmEnvironment extends TimedEnvironment {
  readonly name = 'vm';
  readonly kind = 'vm' as const;
  /** prepare() builds the VM's own initramfs or disk (cached per image digest under the home's vm cache). */
  readonly independentPrepare = true;
  readonly options: VmOptions;
  private readonly live = new Map<Running, VmRun>();
  private readonly dir: string;
  private seq = 0;
  private readonly disks = new Map<string, Promise<VmDisk>>();
  private readonly initramfses = new Map<string, Promise<Initramfs>>();
  private kernelMemo?: Promise<GuestKernel>;
  private accelMemo?: Promise<AccelDecision>;
  private qemuVersionMemo?: Promise<string | undefined>;
  private tscMemo?: Promise<number | undefined>;

  constructor(private readonly ctx: EnvContext, input: VmOptionsInput = {}, private readonly unpack: UnpackFn = defaultUnpack(ctx.home)) {
    super();
    this.options = normalizeVmOptions(input);
    this.dir = path.join(ctx.home.runs, ctx.runId, 'vm');
  }

  private qemuVersion(): Promise<string | undefined> {
    return (this.qemuVersionMemo ??= qemuVersion(this.options.qemu));
  }

  kernel(): Promise<GuestKernel> {
    return (this.kernelMemo ??= resolveGuestKernel(this.ctx.home, this.options.kernel));
  }

  private tscKhz(): Promise<number | undefined> {
    return (this.tscMemo ??= hostTscKhz());
  }

  /** The accelerator for this host, probed once per guest kernel + QEMU version and cached in the home. */
  accelerator(): Promise<AccelDecision> {
    return (this.accelMemo ??= this.decideAccel());
  }

  private async decideAccel(): Promise<AccelDecision> {
    const kernel = await this.kernel();
    const kvm = detectKvmFlavor();
    const parts = accelCacheParts({ kernelSha256: kernel.sha256, qemuVersion: (await this.qemuVersion()) ?? '?', kvm, boot: bootIdentity() });
    if (this.options.accel !== 'auto') {
      return { accelerator: this.options.accel, reason: `${acceleratorLabel(this.options.accel)}: forced by the vm accel option`, kvm, decidedAt: new Date().toISOString(), key: accelCacheKey(parts) };
    }
    // The probe boot is the slow part of every check (it waits for its deadline when KVM does not work), so its verdict is kept for this boot.
    return cachedAccelDecision(this.ctx.home, parts, (key) => decideAccelerator(kvm, (ms) => this.probeKvmBoot(kernel, ms), this.options.kvmProbeTimeoutMs, key), { fresh: this.ctx.reprobe === true });
  }

  /** A boot of the probe-only initramfs with KVM: did user space print its marker in time? */
  private async probeKvmBoot(kernel: GuestKernel, timeoutMs: number): Promise<ProbeBootResult> {
    const initrd = await buildProbeInitramfs(this.ctx.home, path.join(this.ctx.nativeDir, 'isobench-probe'));
    const token = `isobench-accel-${crypto.randomBytes(6).toString('hex')}`;
    const proc = await this.launch({ accel: 'kvm', kernel, initrd, tscKhz: undefined, token, argv: ['/init', 'ready', 'done'], env: BASE_ENV, memoryMiB: 128, timeoutMs });
    const vmDir = this.live.get(proc)?.vmDir;
    try {
      const ms = await proc.ready;
      return { ok: true, ms, detail: 'marker printed' };
    } catch (e) {
      const failure = e instanceof LaunchError ? e.failure : 'error';
      return { ok: false, ms: timeoutMs, detail: `${failure}: ${describeError(e).message}` };
    } finally {
      proc.kill('SIGTERM');
      await proc.done.catch(() => undefined);
      this.live.delete(proc);
      if (vmDir) await reapVmDir(vmDir, { killed: [], removedDirs: [], kept: [] });
      // available() may run outside any run (bench doctor): leave no empty run dirs behind.
      await rmdir(this.dir).then(() => rmdir(path.dirname(this.dir))).catch(() => undefined);
    }
  }

  async available(): Promise<Availability> {
    if (!existsSync(timerPath(this.ctx.nativeDir))) return { ok: false, reason: `${timerPath(this.ctx.nativeDir)} is missing: run \`npm run build\`` };
    const qv = await this.qemuVersion();
    if (!qv) return { ok: false, reason: `${this.options.qemu} not found: apt-get install qemu-system-x86 (scripts/setup does)` };
    try {
      const kernel = await this.kernel();
      const accel = await this.accelerator();
      return {
        ok: true,
        description: `QEMU ${qv} -M ${machineOption(kernel.flavour)}, guest kernel ${kernel.version} (${kernel.flavour === 'isobench' ? 'isobench\'s' : 'stock'}); ${accel.reason}`,
        version: qv,
        accelerator: accel.accelerator,
        facts: await this.facts(kernel, accel),
      };
    } catch (e) {
      const d = describeError(e);
      return { ok: false, reason: d.hint ? `${d.message} (${d.hint})` : d.message };
    }
  }

  private async facts(kernel: GuestKernel, accel: AccelDecision): Promise<Record<string, string>> {
    const tsc = await this.tscKhz();
    return {
      qemu: (await this.qemuVersion()) ?? '?',
      machine: `${machineOption(kernel.flavour)} (PVH boot of uncompressed vmlinux, no firmware)`,
      accelerator: acceleratorLabel(accel.accelerator),
      acceleratorReason: accel.reason,
      acceleratorDecidedAt: accel.decidedAt,
      ...(this.options.accel === 'auto' ? { acceleratorVerdict: verdictOrigin({ cached: accel.cached === true, probedAt: accel.decidedAt }) } : {}),
      kvm: `${accel.kvm.flavor}: ${accel.kvm.detail}`,
      guestKernel: kernel.version,
      guestKernelFlavour: kernel.flavour === 'isobench'
        ? 'isobench: built by scripts/setup from the distribution\'s linux-source with src/envs/vm/guest-kernel.config (drivers built in, no ACPI, no modules); `--vm-kernel debian` boots the stock kernel'
        : 'stock distribution kernel (virtio drivers as modules, ACPI)',
      guestKernelSource: `${kernel.source} (${kernel.origin}${kernel.package ? `: ${kernel.package}` : ''})`,
      guestKernelSha256: kernel.sha256,
      guestVmlinuxSha256: kernel.vmlinuxSha256,
      guestMemoryMiB: String(this.options.memoryMiB),
      guestCpus: String(this.options.smp),
      // Which presentation each scenario used is in its result (presentation); this is the rule.
      guestScratch: `storage workloads (fileio, fio, sqlite) and the applications image boot from the ${VM_PRESENTATIONS.disk.description}; the others from the ${VM_PRESENTATIONS.initramfs.description}`,
      ...(tsc ? { hostTscKhz: String(tsc) } : {}),
    };
  }

  async prepare(image: ImageRef, hints: PrepareHints = {}): Promise<VmPrepared> {
    if (!(await this.qemuVersion())) throw new HostRequirementError('VM_NO_QEMU', `${this.options.qemu} not found`, { hint: 'apt-get install qemu-system-x86 (scripts/setup does)' });
    const kernel = await this.kernel();
    const accel = await this.accelerator();
    await mkdir(this.dir, { recursive: true });
    const allDisk = this.options.presentation === 'disk' || hints.storage === 'disk';
    const base: VmPrepared = { env: this.name, imageDigest: image.digest, image, kernel, accel, tscKhz: await this.tscKhz() };
    // Untimed work up front: the presentation the coming runs boot (both are cached per image digest in the home).
    const initramfs = allDisk ? undefined : await this.initramfsOf(base);
    // The initramfs is unpacked into guest RAM: an image that would fill more
    // than INITRAMFS_RAM_SHARE of it (a user's distribution image) boots from
    // the disk presentation instead, so it runs rather than panics.
    const tooBig = initramfs !== undefined && initramfs.size > this.options.memoryMiB * 1048576 * INITRAMFS_RAM_SHARE;
    if (tooBig) this.ctx.log(`vm: the ${(initramfs.size / 1048576).toFixed(0)} MiB initramfs would not fit in ${this.options.memoryMiB} MiB of guest RAM: every run of this image boots from the disk`);
    const disk = allDisk || tooBig ? await this.diskFor(base) : undefined;
    this.ctx.log(`vm: kernel ${kernel.version} (${kernel.origin})${initramfs ? `, initramfs ${(initramfs.size / 1048576).toFixed(1)} MiB${initramfs.cached ? ' (cached)' : ''}` : ''}${disk ? `, base disk ${(disk.base.size / 1048576).toFixed(1)} MiB${disk.base.cached ? ' (cached)' : ''} + qcow2 overlay per VM` : ''}, ${accel.reason}`);
    return {
      ...base,
      ...(initramfs ? { initramfs } : {}),
      // The vm option (or an image too large for RAM) puts every run on the disk; a hint only builds it early.
      ...((this.options.presentation === 'disk' || tooBig) && disk ? { disk } : {}),
    };
  }

  /** The initramfs presentation of a prepared image (built once per image digest, cached in the home). */
  initramfsOf(p: VmPrepared): Promise<Initramfs> {
    if (p.initramfs) return Promise.resolve(p.initramfs);
    let memo = this.initramfses.get(p.imageDigest);
    if (!memo) {
      memo = buildInitramfs(this.ctx.home, p.image, async (img, dest) => this.unpack(img, dest));
      memo.catch(() => this.initramfses.delete(p.imageDigest));
      this.initramfses.set(p.imageDigest, memo);
    }
    return memo;
  }

  /**
   * The disk presentation of a prepared image: the read-only ext4 base
   * (built once per image digest and cached in the home) and the small boot
   * initramfs. Built on first use, outside any timed window, so scenarios
   * that never ask for a disk never pay for it.
   */
  private diskFor(p: VmPrepared): Promise<NonNullable<VmPrepared['disk']>> {
    let memo = this.disks.get(p.imageDigest);
    if (!memo) {
      memo = (async () => {
        const unpack = async (img: ImageRef, dest: string): Promise<void> => this.unpack(img, dest);
        const base = await buildBaseDisk(this.ctx.home, p.image, unpack);
        const boot = await buildDiskInitramfs(this.ctx.home, base, p.kernel.source, p.kernel.version, p.kernel.flavour === 'isobench');
        return { base, modules: boot.modules, boot: boot.path };
      })();
      memo.catch(() => this.disks.delete(p.imageDigest));
      this.disks.set(p.imageDigest, memo);
    }
    return memo;
  }

  /** Spawns one guest under the timer; its dir holds owner.json and QEMU's pidfile. */
  private async launch(o: { accel: 'kvm' | 'tcg'; kernel: GuestKernel; initrd: string; tscKhz: number | undefined; token: string; argv: string[]; env: Record<string, string>; cwd?: string; memoryMiB: number; timeoutMs: number; net?: boolean; disk?: VmDisk; session?: { onOutput: (chunk: Buffer) => void } }): Promise<TimedProcess> {
    const vmDir = path.join(this.dir, `${VM_DIR_PREFIX}${++this.seq}`);
    await writeOwner(vmDir, await ownerRecord());
    // Disk presentation: the VM's rw layer, created before the spawn (qemu-img, ~20 ms, copies nothing), outside the startup figure.
    const drive = o.disk ? path.join(vmDir, 'overlay.qcow2') : undefined;
    if (o.disk && drive) await createOverlay('qemu-img', o.disk.base.path, drive);
    const append = joinKernelCmdline([
      ...kernelParams({ accel: o.accel, flavour: o.kernel.flavour, tscKhz: o.tscKhz, smp: this.options.smp, extra: this.options.extraKernelParams }),
      ...encodeGuestParams({ token: o.token, argv: o.argv, env: o.env, cwd: o.cwd, ...(o.disk ? { ...(o.disk.modules.length ? { modules: o.disk.modules } : {}), root: '/dev/vda' } : {}) }),
      ...(o.net ? [GUEST_NET.kernelParam] : []),
      ...(o.session ? [SESSION_PARAM] : []),
    ]);
    const argv = qemuArgv({ qemu: this.options.qemu, accel: o.accel, vmlinux: o.kernel.vmlinux, flavour: o.kernel.flavour, initrd: o.initrd, memoryMiB: o.memoryMiB, smp: this.options.smp, pidfile: path.join(vmDir, 'qemu.pid'), append, drive }).concat(o.net ? GUEST_NET.qemuArgs : []);
    const proc = this.runs.track(launchTimed(this.ctx.nativeDir, argv, { token: o.token, timeoutMs: o.timeoutMs, cwd: vmDir, ...(o.session ? { interactive: o.session } : {}) }));
    this.live.set(proc, { vmDir, token: o.token });
    return proc;
  }

  /** The guest a run (or a session) of this kind boots: its presentation, initrd, RAM and NIC. One rule for both. */
  private async bootFor(vp: VmPrepared, w: { storage?: 'disk'; hostPeer?: boolean; limits: Limits }): Promise<{ disk?: VmDisk; initrd: string; memoryMiB: number; net: boolean; presentation: RunPresentation }> {
    // Workloads that write to storage (or whose image is too large for an
    // initramfs) boot from the disk; everything else from the initramfs, the
    // faster path that the startup figure measures.
    const disk = vp.disk ?? (w.storage === 'disk' ? await this.diskFor(vp) : undefined);
    // Network workloads: a NIC on QEMU user networking plus the virtio-net modules; untimed build, cached.
    const initrd = disk ? disk.boot : w.hostPeer ? await networkInitrd(this.ctx.home, vp.kernel, (await this.initramfsOf(vp)).path) : (await this.initramfsOf(vp)).path;
    return {
      ...(disk ? { disk } : {}),
      initrd,
      // A memory limit is the guest's RAM (the kernel and initramfs need ~100 MiB of it).
      memoryMiB: w.limits.memoryMiB ? Math.max(w.limits.memoryMiB, 128) : this.options.memoryMiB,
      net: w.hostPeer === true,
      presentation: disk ? VM_PRESENTATIONS.disk : VM_PRESENTATIONS.initramfs,
    };
  }

  async start(p: Prepared, w: WorkloadInvocation): Promise<Running> {
    const vp = p as VmPrepared;
    const accel = vp.accel.accelerator;
    const { presentation, ...boot } = await this.bootFor(vp, w);
    const proc = await this.launch({
      ...boot,
      accel, kernel: vp.kernel, tscKhz: vp.tscKhz, token: w.token, argv: w.argv,
      env: { ...BASE_ENV, ...w.env }, cwd: IMAGE_PATHS.scratch,
      timeoutMs: w.timeoutMs + bootAllowance(this.options, accel),
    });
    return Object.assign(proc, { presentation });
  }

  /**
   * One boot for every run of a rate scenario (init's session mode): the
   * guest a run with this spec would boot (same presentation, RAM, NIC,
   * kernel and accelerator), kept up; each run is then a command written to
   * its console. Untimed (the scheduler does not count it in any figure);
   * the boot has the usual allowance.
   */
  async openSession(p: Prepared, spec: SessionSpec): Promise<Session | undefined> {
    const vp = p as VmPrepared;
    const accel = vp.accel.accelerator;
    const { presentation, ...boot } = await this.bootFor(vp, spec);
    const token = sessionToken();
    const early = new EarlyOutput();
    const proc = await this.launch({
      ...boot,
      accel, kernel: vp.kernel, tscKhz: vp.tscKhz, token, argv: [], env: {},
      timeoutMs: SESSION_MAX_MS,
      session: { onOutput: early.onOutput },
    });
    const vmDir = this.live.get(proc)!.vmDir;
    const reap = async (): Promise<void> => {
      this.live.delete(proc);
      await reapVmDir(vmDir, { killed: [], removedDirs: [], kept: [] });
    };
    const bootMs = await awaitInstanceReady(proc, bootAllowance(this.options, accel), 'the VM session\'s guest', early, reap);
    const s: VmSession = new VmSession({
      proc, bootToken: token, bootMs, presentation, reap,
      onEnd: () => this.sessions.delete(s),
      commandFor: (w) => ({ env: { ...BASE_ENV, ...w.env }, cwd: IMAGE_PATHS.scratch }),
    });
    this.sessions.add(s);
    // What the guest printed after its ready marker before the session existed (nothing, normally) is idle output.
    early.attach(s);
    return s;
  }

  /** The host peer listens on 127.0.0.1; QEMU user networking shows it to the guest as 10.0.2.2. */
  async peerAddress(): Promise<PeerAddress> {
    return { listen: '127.0.0.1', connect: GUEST_NET.hostAlias };
  }

  override async wait(r: Running): Promise<WorkloadOutput> {
    const inSession = sessionRunOutput(r);
    if (inSession) return inSession;
    const run = this.live.get(r);
    try {
      const out = await this.runs.wait(r);
      const g = parseGuestConsole(out.output, run?.token ?? '');
      if (g.exitCode === undefined) {
        throw new VmGuestError('VM_NO_EXIT_STATUS', `the guest stopped without reporting the workload's exit status (QEMU exit status ${out.exitCode})`, out.output);
      }
      return { startupMs: out.startupMs, exitMs: out.exitMs, exitCode: g.exitCode, output: g.output };
    } finally {
      this.live.delete(r);
      if (run) await reapVmDir(run.vmDir, { killed: [], removedDirs: [], kept: [] });
    }
  }

  protected async teardown(): Promise<void> {
    // cleanup() closed the sessions first (TimedEnvironment.cleanup); one still closing is awaited here.
    for (const s of [...this.sessions]) await s.close();
    for (const run of this.live.values()) await reapVmDir(run.vmDir, { killed: [], removedDirs: [], kept: [] });
    this.live.clear();
    await rm(this.dir, { recursive: true, force: true });
  }
}
