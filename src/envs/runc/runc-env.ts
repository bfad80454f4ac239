import { promises as fs, existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import type { Availability, Prepared, Running, WorkloadInvocation } from '../types.js';
import type { ImageRef } from '../../image/types.js';
import { timerPath } from '../launch.js';
import { overlaySupported, whichSync } from '../container/shared.js';
import { PeerEnvironment, type PeerPrepared } from './peer-env.js';
import { writeRunBundle } from './bundle.js';

const run = promisify(execFile);

export type RuncPrepared = PeerPrepared;

/**
 * runc as a reference: per round `runc --root R run --bundle B <id>` over an
 * overlay of the same snapshots (mounted once in prepare). The bundle's
 * config.json is written before the timed spawn, as containerd does before
 * calling runc; runc then does its own namespaces, mounts, cgroups, caps.
 * Closing the group (teardown) `runc delete -f`s what is left in its root.
 */
export class RuncEnvironment extends PeerEnvironment {
  readonly name = 'runc';

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
    const peer = await this.mountPeer(image);
    await peer.group.addRuncRoot(this.runcRoot());
    return this.prepared(image, peer);
  }

  async start(p: Prepared, w: WorkloadInvocation): Promise<Running> {
    const prep = p as RuncPrepared;
    const peer = this.requirePeer();
    const id = `${peer.group.id}-${this.nextRun()}`;
    const net = await this.networks.forRun(w);
    const bundle = await writeRunBundle({ peer, id, rootfs: prep.rootfs, workload: w, netnsPath: net?.netnsPath });
    const argv = [whichSync('runc') ?? 'runc', '--root', this.runcRoot(), 'run', '--bundle', bundle, id];
    return this.launch(argv, w, () => fs.rm(bundle, { recursive: true, force: true }), net?.release);
  }
}
