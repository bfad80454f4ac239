import { promises as fs, existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import type { Availability, PeerAddress, Prepared, Running, Session, SessionSpec, WorkloadInvocation } from '../types.js';
import type { ImageRef } from '../../image/types.js';
import { BenchError, HostRequirementError } from '../../core/errors.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { sessionLimits } from '../session/container-session.js';
import { timerPath } from '../launch.js';
import { overlaySupported, whichSync } from '../container/shared.js';
import { runcConfig } from '../runc/runc-config.js';
import { writeBundle, writeRunBundle } from '../runc/bundle.js';
import { PeerEnvironment, type PeerPrepared } from '../runc/peer-env.js';
import { probeRunscPlatform, type PlatformProbe } from './platform.js';
import { runscArgs, RUNSC_PLATFORMS } from './runsc-args.js';
import { bootIdentity, cachedVerdict, verdictOrigin, type Verdict } from '../verdict-cache.js';
import { detectKvmFlavor } from '../vm/accel.js';

const run = promisify(execFile);

export interface GvisorPrepared extends PeerPrepared {
  readonly platform: string;
}

/**
 * runsc gives the sandbox an internal tmpfs on /tmp unless the bundle mounts
 * one there, so the workloads' scratch dir lives in the sentry's memory:
 * storage figures are marked not comparable, with this reason.
 */
const GVISOR_PRESENTATION = {
  name: 'bundle',
  scratchInRam: true,
  description: "runc's bundle under runsc, whose /tmp is the sandbox's own tmpfs",
} as const;

/**
 * gVisor: `runsc run` on the same OCI bundle the runc peer gets. The
 * workload's system calls are served by gVisor's kernel in user space (the
 * Sentry), not by the host's kernel. The platform (how the Sentry intercepts
 * them) is probed like the VM's KVM: the first of systrap, KVM, ptrace that
 * really runs a program here. cgroup limits are not applied (--ignore-cgroups:
 * runsc's cgroup handling needs a systemd or v2 host layout it cannot assume).
 * Closing the group (teardown) `runsc delete -force`s whatever sandbox is left.
 */
export class GvisorEnvironment extends PeerEnvironment {
  readonly name = 'gvisor';
  /** The Sentry keeps its own clock: a session pairs through timed clock reads (Session.ownClock), a sandbox per run cannot pair. */
  override readonly hostClock = false;
  private probed: Verdict<PlatformProbe> | undefined;
  private versionLine: Promise<string> | undefined;

  private runscRoot(): string {
    return path.join(this.peer!.group.dir, 'runsc-root');
  }

  /**
   * The platform verdict, probed once per boot: a probe that hangs (KVM
   * inside a PVM or nested guest) costs its whole deadline, and nothing it
   * depends on changes until the host reboots or runsc or /dev/kvm change.
   */
  private async probePlatform(bin: string): Promise<PlatformProbe> {
    if (this.probed) return this.probed.value;
    const st = await fs.stat(bin);
    const runscVersion = await this.runscVersion(bin);
    const kvm = detectKvmFlavor();
    const parts = {
      ...bootIdentity(),
      runsc: `${bin} ${st.size} ${st.mtimeMs}`,
      runscVersion,
      platforms: RUNSC_PLATFORMS.join(','),
      kvm: `${kvm.flavor}: ${kvm.detail}`,
    };
    this.probed = await cachedVerdict(path.join(this.ctx.home.cache, 'gvisor', 'platform.json'), parts, () => this.probeNow(bin), { fresh: this.ctx.reprobe === true });
    return this.probed.value;
  }

  /** The first line of `runsc --version`, asked once. */
  private runscVersion(bin: string): Promise<string> {
    return (this.versionLine ??= run(bin, ['--version']).then((r) => r.stdout.split('\n')[0] || 'unknown', () => 'unknown'));
  }

  /** A one-binary bundle (the host's static busybox) to try platforms on, before any image exists. */
  private async probeNow(bin: string): Promise<PlatformProbe> {
    const scratch = path.join(this.ctx.home.runs, this.ctx.runId, 'gvisor-platform');
    const bundle = path.join(scratch, 'bundle');
    try {
      await fs.mkdir(path.join(bundle, 'rootfs', 'bin'), { recursive: true });
      await fs.copyFile('/bin/busybox', path.join(bundle, 'rootfs', 'bin', 'busybox'));
      await fs.chmod(path.join(bundle, 'rootfs', 'bin', 'busybox'), 0o755);
      const config = runcConfig({ rootfs: path.join(bundle, 'rootfs'), argv: ['/bin/busybox', 'echo', 'isobench-platform-ok'], env: ['PATH=/bin'], hostname: 'probe', cgroupsPath: '', limits: {} });
      delete (config.linux as Record<string, unknown>).cgroupsPath;
      await writeBundle(bundle, config);
      // A working KVM platform starts this within a second; on a PVM /dev/kvm it hangs until the deadline (like the VM's own probe).
      return await probeRunscPlatform(bin, scratch, bundle, 4_000);
    } finally {
      await fs.rm(scratch, { recursive: true, force: true });
      // available() may run outside any run (bench doctor): no empty run dir left behind.
      await fs.rmdir(path.join(this.ctx.home.runs, this.ctx.runId)).catch(() => {});
    }
  }

  async available(): Promise<Availability> {
    if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root: run as root' };
    const bin = whichSync('runsc');
    if (!bin) return { ok: false, reason: 'not installed: apt-get install runsc' };
    if (!existsSync('/bin/busybox')) return { ok: false, reason: 'the platform probe needs /bin/busybox: apt-get install busybox-static' };
    if (!overlaySupported()) return { ok: false, reason: 'the kernel has no overlayfs: modprobe overlay' };
    if (!existsSync(timerPath(this.ctx.nativeDir))) return { ok: false, reason: `${timerPath(this.ctx.nativeDir)} is missing: run \`npm run build\`` };
    const v = (await this.runscVersion(bin)).replace(/^runsc version /, '');
    const p = await this.probePlatform(bin);
    const facts = { gvisorPlatform: p.platform ?? 'none', gvisorPlatformsTried: p.tried.join('; ') || '(first platform worked)', ...(this.probed ? { gvisorPlatformVerdict: verdictOrigin(this.probed) } : {}) };
    if (!p.platform) return { ok: false, reason: `no gVisor platform runs a program here (${p.tried.join('; ')})`, facts };
    return {
      ok: true, version: v, facts,
      description: `runsc ${v}, ${p.platform} platform${p.tried.length ? ` (${p.tried.join('; ')})` : ''}: gVisor's user-space kernel on an OCI bundle of the same image; no cgroup limits (--ignore-cgroups)`,
    };
  }

  async prepare(image: ImageRef): Promise<GvisorPrepared> {
    if (this.peer) await this.cleanup();
    const bin = whichSync('runsc');
    if (!bin) throw new BenchError('ENV_UNAVAILABLE', 'runsc is not installed', { hint: 'apt-get install runsc' });
    const p = await this.probePlatform(bin);
    if (!p.platform) throw new BenchError('ENV_UNAVAILABLE', `no gVisor platform works here: ${p.tried.join('; ')}`);
    const peer = await this.mountPeer(image);
    await peer.group.addRuntimeRoot('runsc', this.runscRoot());
    return { ...this.prepared(image, peer), platform: p.platform };
  }

  async start(p: Prepared, w: WorkloadInvocation): Promise<Running> {
    const prep = p as GvisorPrepared;
    const peer = this.requirePeer();
    const id = `${peer.group.id}-${this.nextRun()}`;
    const bundle = await writeRunBundle({ peer, id, rootfs: prep.rootfs, workload: w });
    const argv = runscArgs({ bin: whichSync('runsc') ?? 'runsc', root: this.runscRoot(), platform: prep.platform, bundle, id, cgroups: false, network: 'none' });
    const tp = this.launch(argv, w, () => fs.rm(bundle, { recursive: true, force: true }));
    return Object.assign(tp, { presentation: GVISOR_PRESENTATION });
  }

  /**
   * One sandbox for all runs of a rate scenario: `runsc run` of a bundle
   * like a run's, with the probe's session reader as its process; each run
   * is forked inside the sandbox, so its system calls meet the same Sentry
   * a sandbox of its own would give it (src/envs/session/container-session.ts).
   */
  async openSession(p: Prepared, spec: SessionSpec): Promise<Session | undefined> {
    const prep = p as GvisorPrepared;
    const peer = this.requirePeer();
    const bin = whichSync('runsc') ?? 'runsc';
    const id = `${peer.group.id}-s${this.nextRun()}`;
    let bundle: string | undefined;
    return this.openTrackedSession({
      nativeDir: this.ctx.nativeDir, runtime: 'gVisor', spec, presentation: GVISOR_PRESENTATION,
      // The Sentry keeps its own clock; the sandbox (Sentry, gofer, the platform's stubs) is runsc's process tree.
      ownClock: true,
      argv: async (token) => {
        bundle = await writeRunBundle({ peer, id, rootfs: prep.rootfs, workload: { argv: [], token, env: spec.env, timeoutMs: spec.timeoutMs, limits: sessionLimits(spec.limits) }, process: [IMAGE_PATHS.probe, 'session', token] });
        return runscArgs({ bin, root: this.runscRoot(), platform: prep.platform, bundle, id, cgroups: false, network: 'none' });
      },
      describe: (ms) => `one gVisor sandbox (\`runsc run\`, ${ms.toFixed(0)} ms to start) for every run of this scenario; each run forked inside it`,
      reap: async () => {
        await run(bin, ['--root', this.runscRoot(), 'delete', '--force', id]).catch(() => undefined);
        if (bundle) await fs.rm(bundle, { recursive: true, force: true });
      },
    });
  }

  /**
   * No path to a peer on the host here: this runsc (2022-12) refuses
   * --network=sandbox on this host ("cannot run with network enabled in root
   * network namespace"), whether the sandbox joins a veth's namespace by path
   * or gets a new one; runs keep --network none.
   */
  override async peerAddress(): Promise<PeerAddress> {
    throw new HostRequirementError('PEER_UNREACHABLE', 'gvisor offers no network path to a peer on the host here: runsc refuses --network=sandbox on this host ("cannot run with network enabled in root network namespace", also inside a veth\'s namespace)', {
      hint: 'a newer runsc may accept it; the other runtimes reach the peer through the engine bridge',
    });
  }
}
