import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Availability, Environment, Prepared, Running, WorkloadInvocation, WorkloadOutput } from '../types.js';
import type { EnvContext } from '../context.js';
import type { ImageRef } from '../../image/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { BenchError } from '../../core/errors.js';
import { launchTimed, timerPath } from '../launch.js';
import { BASE_ENV, defaultUnpack, unpackRootfs, type UnpackFn } from '../image-rootfs.js';
import { TimedEnvironment } from '../base.js';
import { realMountOps, type MountOps } from './mounts.js';
import { setupChrootMounts, teardownChrootMounts } from './chroot-mounts.js';
import { ledgerFor, runDirOf } from '../../core/run-ledger.js';

export interface ChrootPrepared extends Prepared {
  readonly root: string;
}

const CHROOT_BINS = ['/usr/sbin/chroot', '/usr/bin/chroot'];

export interface ChrootOptions {
  unpack?: UnpackFn;
  mounts?: MountOps;
}

/**
 * The image unpacked into <home>/runs/<runId>/chroot/root, with a read-only
 * procfs and sysfs and a /dev of its own (see chrootMountPlan), entered
 * with chroot(8) for every run:
 * `chroot ROOT /isobench/probe ready TOKEN -- ARGV`. Startup therefore
 * includes chroot(8)'s own exec, as it does for anyone using a chroot.
 */
export class ChrootEnvironment extends TimedEnvironment {
  readonly name = 'chroot';
  readonly kind = 'chroot' as const;
  readonly hostClock = true;
  /** prepare() unpacks into this backend's own run dir and binds /proc, /dev, /sys under it: nothing another backend uses. */
  readonly independentPrepare = true;
  private readonly dir: string;
  private readonly unpack: UnpackFn;
  private readonly mounts: MountOps;

  constructor(private readonly ctx: EnvContext, opts: ChrootOptions = {}) {
    super();
    this.dir = path.join(ctx.home.runs, ctx.runId, 'chroot');
    this.unpack = opts.unpack ?? defaultUnpack(ctx.home);
    this.mounts = opts.mounts ?? realMountOps;
  }

  private chrootBin(): string | undefined {
    return CHROOT_BINS.find((b) => existsSync(b));
  }

  async available(): Promise<Availability> {
    if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root (chroot(2) and mounting /proc, /dev, /sys): run as root' };
    if (!this.chrootBin()) return { ok: false, reason: 'chroot(8) not found: apt-get install coreutils' };
    if (!existsSync(timerPath(this.ctx.nativeDir))) return { ok: false, reason: `${timerPath(this.ctx.nativeDir)} is missing: run \`npm run build\`` };
    return { ok: true, description: 'chroot(8) into the unpacked image with a read-only /proc and /sys and its own /dev (tmpfs)' };
  }

  async prepare(image: ImageRef): Promise<ChrootPrepared> {
    const root = path.join(this.dir, 'root');
    await unpackRootfs(this.unpack, image, root);
    if (!existsSync(path.join(root, IMAGE_PATHS.probe))) {
      throw new BenchError('ENV_IMAGE_INCOMPLETE', `the image has no ${IMAGE_PATHS.probe}`, { hint: 'rebuild the workload image (bench image build)' });
    }
    // Each mount is in the run dir's ledger before it exists: gc after a SIGKILL knows what to undo.
    await setupChrootMounts(this.mounts, root, ledgerFor(runDirOf(this.ctx.home, this.ctx.runId)));
    return { env: this.name, imageDigest: image.digest, root };
  }

  async start(p: Prepared, w: WorkloadInvocation): Promise<Running> {
    const { root } = p as ChrootPrepared;
    const bin = this.chrootBin() ?? CHROOT_BINS[0]!;
    const argv = [bin, root, IMAGE_PATHS.probe, 'ready', w.token, '--', ...w.argv];
    return this.runs.track(launchTimed(this.ctx.nativeDir, argv, {
      token: w.token,
      timeoutMs: w.timeoutMs,
      env: { ...BASE_ENV, ...w.env },
      cwd: '/',
    }));
  }

  /**
   * Kill, unmount (verified from the mount table), and only then delete the
   * tree. Concurrent calls (run end + Ctrl-C) share one teardown.
   */
  protected async teardown(): Promise<void> {
    if (!existsSync(this.dir)) return;
    await teardownChrootMounts(this.mounts, this.dir);
    await rm(this.dir, { recursive: true, force: true });
  }
}
