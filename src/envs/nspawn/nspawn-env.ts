import { existsSync, promises as fs } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import type { Availability, Prepared, Running, Session, SessionSpec, WorkloadInvocation } from '../types.js';
import type { ImageRef } from '../../image/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { timerPath } from '../launch.js';
import { BASE_ENV } from '../image-rootfs.js';
import { overlaySupported, whichSync } from '../container/shared.js';
import { PeerEnvironment, type PeerPrepared } from '../runc/peer-env.js';
import { nspawnArgs } from './nspawn-args.js';

/**
 * systemd-nspawn mounts a tmpfs on the container's /tmp by default, so the
 * workloads' scratch dir is RAM there (seen as ~200x the host's fsync rate):
 * storage figures are marked not comparable, with this reason.
 */
const NSPAWN_PRESENTATION = {
  name: 'rootfs',
  scratchInRam: true,
  description: "the image's overlay as root, with nspawn's default tmpfs on /tmp",
} as const;

const run = promisify(execFile);

export type NspawnPrepared = PeerPrepared;

/** Where nspawn keeps per-machine propagation dirs on the host (removed after each run if it left one). */
const NSPAWN_PROPAGATE = '/run/systemd/nspawn/propagate';

export function nspawnMachinePrefix(tag: string): string {
  return `isobench-${tag}-`;
}

/**
 * systemd-nspawn over the same overlay the other peers get. Not registered
 * with machined (systemd may not be PID 1), so no cgroup of its own: limits
 * are not applied here and the results say so.
 */
export class NspawnEnvironment extends PeerEnvironment {
  readonly name = 'nspawn';

  async available(): Promise<Availability> {
    if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root: run as root' };
    const bin = whichSync('systemd-nspawn');
    if (!bin) return { ok: false, reason: 'not installed: apt-get install systemd-container' };
    if (!overlaySupported()) return { ok: false, reason: 'the kernel has no overlayfs: modprobe overlay' };
    if (!existsSync(timerPath(this.ctx.nativeDir))) return { ok: false, reason: `${timerPath(this.ctx.nativeDir)} is missing: run \`npm run build\`` };
    const v = await run(bin, ['--version']).then((r) => /systemd (\d+)/.exec(r.stdout)?.[1] ?? 'unknown', () => 'unknown');
    return { ok: true, version: v, description: `systemd-nspawn ${v} (--register=no --keep-unit, private network; a veth on the engine bridge for network workloads) over an overlay of the same image; nspawn's default seccomp filter and capability set; no cgroup limits (no scope without machined)` };
  }

  async prepare(image: ImageRef): Promise<NspawnPrepared> {
    const peer = await this.mountPeer(image);
    // nspawn refuses a directory without /usr ("does not look like an OS tree").
    await fs.mkdir(path.join(peer.rootfs, 'usr'), { recursive: true });
    return this.prepared(image, peer);
  }

  machineName(): string {
    return `${nspawnMachinePrefix(this.ctx.home.tag)}${this.nextRun()}`;
  }

  async start(p: Prepared, w: WorkloadInvocation): Promise<Running> {
    const prep = p as NspawnPrepared;
    this.requirePeer();
    const machine = this.machineName();
    const net = await this.networks.forRun(w);
    const argv = nspawnArgs({
      bin: whichSync('systemd-nspawn') ?? 'systemd-nspawn', rootfs: prep.rootfs, machine,
      network: net?.netnsPath ? { netnsPath: net.netnsPath } : 'private',
      env: { ...BASE_ENV, ...w.env }, argv: [IMAGE_PATHS.probe, 'ready', w.token, '--', ...w.argv],
    });
    const tp = this.launch(argv, w, async () => { await removeNspawnLeftovers(this.ctx.home.tag, machine); }, net?.release);
    return Object.assign(tp, { presentation: NSPAWN_PRESENTATION });
  }

  /**
   * One container for all runs of a rate scenario: systemd-nspawn of the
   * overlay with the probe's session reader as PID 1; each run is forked
   * inside it (src/envs/session/container-session.ts). Network workloads
   * keep a container per run: their veth is made per run.
   */
  async openSession(p: Prepared, spec: SessionSpec): Promise<Session | undefined> {
    if (spec.hostPeer) return undefined;
    const prep = p as NspawnPrepared;
    this.requirePeer();
    const bin = whichSync('systemd-nspawn') ?? 'systemd-nspawn';
    const machine = this.machineName();
    return this.openTrackedSession({
      nativeDir: this.ctx.nativeDir, runtime: 'nspawn', spec, presentation: NSPAWN_PRESENTATION,
      argv: (token) => nspawnArgs({ bin, rootfs: prep.rootfs, machine, network: 'private', env: { ...BASE_ENV, ...spec.env }, argv: [IMAGE_PATHS.probe, 'session', token] }),
      describe: (ms) => `one systemd-nspawn container (${ms.toFixed(0)} ms to start) for every run of this scenario; each run forked inside it`,
      reap: async () => { await removeNspawnLeftovers(this.ctx.home.tag, machine); },
    });
  }

  /** Network workloads join a veth on the engine's bridge by path. Teardown: nspawn's propagation dirs, then the network and group. */
  protected override async teardown(): Promise<void> {
    await removeNspawnLeftovers(this.ctx.home.tag);
    await super.teardown();
  }
}

/** nspawn's propagation dirs of this home's machines (one machine, or all of them); empty dirs only. */
export async function removeNspawnLeftovers(tag: string, machine?: string): Promise<string[]> {
  const names = machine ? [machine] : (await fs.readdir(NSPAWN_PROPAGATE).catch(() => [] as string[])).filter((n) => n.startsWith(nspawnMachinePrefix(tag)));
  const removed: string[] = [];
  for (const n of names) {
    // rmdir, never rm -r: a dir with something mounted or left in it is not ours to empty.
    if (await fs.rmdir(path.join(NSPAWN_PROPAGATE, n)).then(() => true, () => false)) removed.push(`nspawn propagate dir ${n}`);
  }
  return removed;
}
