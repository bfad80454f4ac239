import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Availability, Prepared, Running, WorkloadInvocation } from '../types.js';
import type { ImageRef } from '../../image/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { BASE_ENV } from '../image-rootfs.js';
import { overlaySupported, whichSync } from '../container/shared.js';
import { PeerEnvironment, type PeerPrepared } from '../runc/peer-env.js';
import { bwrapArgs } from './bwrap-args.js';

const run = promisify(execFile);

export type BwrapPrepared = PeerPrepared;

/** bubblewrap over the same overlay the other peers get; network workloads run inside a veth's namespace (nsenter). */
export class BwrapEnvironment extends PeerEnvironment {
  readonly name = 'bwrap';

  async available(): Promise<Availability> {
    if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root (overlay mount of the image): run as root' };
    const bin = whichSync('bwrap');
    if (!bin) return { ok: false, reason: 'not installed: apt-get install bubblewrap' };
    if (!overlaySupported()) return { ok: false, reason: 'the kernel has no overlayfs: modprobe overlay' };
    const v = await run(bin, ['--version']).then((r) => r.stdout.trim().replace(/^bubblewrap /, ''), () => 'unknown');
    return { ok: true, version: v, description: `bubblewrap ${v}: --unshare-all over an overlay of the same image, 14 caps; no cgroup limits, no masked paths` };
  }

  async prepare(image: ImageRef): Promise<BwrapPrepared> {
    return this.prepared(image, await this.mountPeer(image));
  }

  async start(p: Prepared, w: WorkloadInvocation): Promise<Running> {
    const prep = p as BwrapPrepared;
    this.requirePeer();
    const net = await this.networks.forRun(w);
    const netns = net?.netnsPath ? { nsenter: whichSync('nsenter') ?? 'nsenter', netnsPath: net.netnsPath } : undefined;
    const argv = bwrapArgs(whichSync('bwrap') ?? 'bwrap', prep.rootfs, [IMAGE_PATHS.probe, 'ready', w.token, '--', ...w.argv], { ...BASE_ENV, ...w.env }, netns);
    return this.launch(argv, w, net?.release);
  }
}
