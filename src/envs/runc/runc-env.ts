import { promises as fs, existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import type { Availability, PeerAddress, Prepared, Running, WorkloadInvocation } from '../types.js';
import type { EnvContext } from '../context.js';
import type { ImageRef } from '../../image/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { BenchError } from '../../core/errors.js';
import { launchTimed, timerPath } from '../launch.js';
import { BASE_ENV } from '../image-rootfs.js';
import { TimedEnvironment } from '../base.js';
import { defaultSnapshots, containerLimits, overlaySupported, whichSync, type SnapshotFn } from '../container/shared.js';
import { mountPeerRootfs, type PeerRootfs } from './peer-rootfs.js';
import { PeerNetworks } from './peer-networks.js';
import { runcConfig } from './runc-config.js';

const run = promisify(execFile);

export interface RuncPrepared extends Prepared {
  readonly rootfs: string;
}

/**
 * runc as a reference: per round `runc --root R run --bundle B <id>` over an
 * overlay of the same snapshots (mounted once in prepare). The bundle's
 * config.json is written before the timed spawn, as containerd does before
 * calling runc; runc then does its own namespaces, mounts, cgroups, caps.
 */
export class RuncEnvironment extends TimedEnvironment {
  readonly name = 'runc';
  readonly kind = 'container' as const;
  private peer: PeerRootfs | undefined;
  private n = 0;
  private readonly networks: PeerNetworks;

  constructor(private readonly ctx: EnvContext, private readonly snapshots: SnapshotFn = defaultSnapshots) {
    super();
    this.networks = new PeerNetworks('runc', ctx.home, () => this.peer?.group.id);
  }

  private runcRoot(): string {
    return path.join(this.peer!.group.dir, 'runc-root');
  }

  async available(): Promise<Availability> {
    if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root: run as root' };
    const bin = whichSync('runc');
    if (!bin) return { ok: false, reason: 'not installed: apt-get install runc' };
    if (!overlaySupported()) return { ok: false, reason: 'the kernel has no overlayfs: modprobe overlay' };
    if (!existsSync(timerPath(this.ctx.nativeDir))) return { ok: false, reason: `${timerPath(this.ctx.nativeDir)} is missing: run \`npm run build\`` };
    const v = await run(bin, ['--version']).then((r) => r.stdout.split('\n')[0]?.replace(/^runc version /, '') ?? 'unknown', () => 'unknown');
    return { ok: true, version: v, description: `runc ${v}: OCI bundle from the same image (same namespaces, mounts, masks, caps, cgroup limits)` };
  }

  async prepare(image: ImageRef): Promise<RuncPrepared> {
    if (this.peer) await this.cleanup();
    this.peer = await mountPeerRootfs(this.ctx, 'runc', this.snapshots, image);
    await this.peer.group.addRuncRoot(this.runcRoot());
    return { env: this.name, imageDigest: image.digest, rootfs: this.peer.rootfs };
  }

  async start(p: Prepared, w: WorkloadInvocation): Promise<Running> {
    const prep = p as RuncPrepared;
    if (!this.peer) throw new BenchError('ENV_NOT_PREPARED', 'runc: start() before prepare()');
    const id = `${this.peer.group.id}-${this.n++}`;
    const bundle = path.join(this.peer.group.dir, 'bundles', id);
    await fs.mkdir(bundle, { recursive: true });
    const env = Object.entries({ ...BASE_ENV, ...w.env }).map(([k, v]) => `${k}=${v}`);
    const net = await this.networks.forRun(w);
    const config = runcConfig({
      ...(net?.netnsPath ? { netnsPath: net.netnsPath } : {}),
      rootfs: prep.rootfs,
      argv: [IMAGE_PATHS.probe, 'ready', w.token, '--', ...w.argv],
      env,
      hostname: 'container',
      cgroupsPath: `/${this.peer.engine.cgroupParent}/${id}`,
      limits: containerLimits(w.limits),
    });
    await fs.writeFile(path.join(bundle, 'config.json'), JSON.stringify(config));
    const argv = [whichSync('runc') ?? 'runc', '--root', this.runcRoot(), 'run', '--bundle', bundle, id];
    const tp = this.runs.track(launchTimed(this.ctx.nativeDir, argv, { token: w.token, timeoutMs: w.timeoutMs, cwd: '/' }));
    this.onRunDone(tp, () => fs.rm(bundle, { recursive: true, force: true }));
    if (net) this.onRunDone(tp, net.release);
    return tp;
  }

  /** Network workloads: a veth on the engine's bridge per run (joined by path); the host peer listens on its gateway. */
  async peerAddress(): Promise<PeerAddress> {
    return this.networks.peerAddress();
  }

  /**
   * Kills runs, `runc delete -f` leftovers, unmounts the overlay, removes
   * cgroups and dirs. Concurrent calls (run end + Ctrl-C) share one teardown.
   */
  protected async teardown(): Promise<void> {
    await this.networks.close();
    if (this.peer) await this.peer.group.close();
    this.peer = undefined;
  }
}
