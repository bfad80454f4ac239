import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import type { Availability, PeerAddress, Prepared, Running, Session, SessionSpec, WorkloadInvocation } from '../types.js';
import type { EnvContext } from '../context.js';
import type { ImageRef } from '../../image/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { BenchError, HostRequirementError } from '../../core/errors.js';
import { launchTimed, timerPath } from '../launch.js';
import { BASE_ENV } from '../image-rootfs.js';
import { TimedEnvironment } from '../base.js';
import { containerLimits, whichSync } from '../container/shared.js';
import { daemonAlive, startDaemon, type DockerDaemon } from './daemon.js';
import { loadImage } from './load-image.js';
import { dockerImageName } from './paths.js';
import { dockerRunArgs } from './docker-args.js';
import { sessionLimits } from '../session/container-session.js';

const run = promisify(execFile);

export interface DockerPrepared extends Prepared {
  readonly image: string;
  readonly imageId: string;
  readonly socket: string;
  readonly facts: Record<string, string>;
}

/**
 * The docker CLI that belongs to the installed daemon: Debian's docker.io
 * puts it in /usr/bin; another client earlier in PATH (a newer static
 * build) would still work but would not be the version we report.
 */
export function dockerCli(): string | undefined {
  return existsSync('/usr/bin/docker') ? '/usr/bin/docker' : whichSync('docker');
}

/**
 * Docker as its users run it: `docker run --rm` through the CLI, timed end
 * to end (CLI → dockerd → containerd → shim → runc). isobench starts a
 * dockerd of its own for the run (socket and data-root under the home,
 * never the user's) and stops it in cleanup().
 */
export class DockerEnvironment extends TimedEnvironment {
  readonly name = 'docker';
  readonly kind = 'container' as const;
  readonly hostClock = true;
  /** prepare() starts this backend's own dockerd (own socket, data-root, mount namespace) and loads the image into it. */
  readonly independentPrepare = true;
  private daemon: DockerDaemon | undefined;
  /** Set while release() runs: teardown keeps the daemon for the run's next image. */
  private keepDaemon = false;
  private sessionCount = 0;

  constructor(private readonly ctx: EnvContext) {
    super();
  }

  async available(): Promise<Availability> {
    if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root (isobench starts its own dockerd): run as root' };
    const dockerd = whichSync('dockerd');
    const cli = dockerCli();
    if (!dockerd || !cli) return { ok: false, reason: `not installed (${!dockerd ? 'dockerd' : 'docker CLI'} missing): apt-get install docker.io` };
    if (!whichSync('unshare')) return { ok: false, reason: 'unshare is missing (util-linux): our dockerd runs in its own mount namespace' };
    if (!existsSync(timerPath(this.ctx.nativeDir))) return { ok: false, reason: `${timerPath(this.ctx.nativeDir)} is missing: run \`npm run build\`` };
    const v = await run(dockerd, ['--version']).then((r) => /version ([^\s,]+)/.exec(r.stdout)?.[1] ?? 'unknown', () => 'unknown');
    return {
      ok: true, version: v,
      description: `Docker ${v}: \`docker run --rm\` timed through the CLI, on isobench's own dockerd (own socket and data-root, --iptables=false --bridge=none); runc with Docker's default seccomp profile and capabilities`,
    };
  }

  async prepare(image: ImageRef): Promise<DockerPrepared> {
    const cli = dockerCli();
    if (!cli) throw new BenchError('ENV_UNAVAILABLE', 'the docker CLI is not installed', { hint: 'apt-get install docker.io' });
    // A daemon kept by release() serves this image too, if it is still that dockerd; anything else starts afresh.
    if (this.daemon && !daemonAlive(this.daemon)) await this.cleanup();
    this.daemon ??= await startDaemon(this.ctx.home);
    try {
      const name = dockerImageName(image.digest);
      const loaded = await loadImage(cli, this.daemon.paths.socket, image, name, path.join(this.ctx.home.runs, this.ctx.runId, 'docker-load'));
      return {
        env: this.name, imageDigest: image.digest, image: name, imageId: loaded.imageId, socket: this.daemon.paths.socket,
        facts: { dockerImageId: loaded.imageId, dockerImage: name, dockerDaemon: `dockerd ${this.daemon.version} (pid ${this.daemon.pid}, ${this.daemon.paths.socket})` },
      };
    } catch (e) {
      await this.cleanup();
      throw e;
    }
  }

  async start(p: Prepared, w: WorkloadInvocation): Promise<Running> {
    const prep = p as DockerPrepared;
    if (!this.daemon) throw new BenchError('ENV_NOT_PREPARED', 'docker: start() before prepare()');
    const argv = dockerRunArgs({
      bin: dockerCli() ?? 'docker', socket: prep.socket, image: prep.image, network: 'none', hostname: 'container',
      argv: [IMAGE_PATHS.probe, 'ready', w.token, '--', ...w.argv], env: { ...BASE_ENV, ...w.env }, limits: containerLimits(w.limits),
    });
    return this.runs.track(launchTimed(this.ctx.nativeDir, argv, { token: w.token, timeoutMs: w.timeoutMs, cwd: '/' }));
  }

  /**
   * One container for all runs of a rate scenario: `docker run --rm -i` of
   * the image with the probe's session reader as its entrypoint, the same
   * limits, network and environment a run gets; each run is forked inside
   * it (src/envs/session/container-session.ts). Named, so that a container
   * whose CLI died is removed by name.
   */
  async openSession(p: Prepared, spec: SessionSpec): Promise<Session | undefined> {
    const prep = p as DockerPrepared;
    if (!this.daemon) throw new BenchError('ENV_NOT_PREPARED', 'docker: openSession() before prepare()');
    const cli = dockerCli() ?? 'docker';
    const name = `isobench-${this.ctx.home.tag}-session-${this.sessionCount++}`;
    return this.openTrackedSession({
      nativeDir: this.ctx.nativeDir, runtime: 'docker', spec,
      argv: (token) => dockerRunArgs({
        bin: cli, socket: prep.socket, image: prep.image, network: 'none', hostname: 'container', session: { name },
        argv: [IMAGE_PATHS.probe, 'session', token], env: { ...BASE_ENV, ...spec.env }, limits: containerLimits(sessionLimits(spec.limits)),
      }),
      describe: (ms) => `one \`docker run\` (${ms.toFixed(0)} ms to start) for every run of this scenario; each run forked inside the container`,
      reap: async () => { await run(cli, ['--host', `unix://${prep.socket}`, 'rm', '--force', name]).catch(() => undefined); },
    });
  }

  /**
   * No path to a peer on the host, by choice: our dockerd runs with
   * --bridge=none --iptables=false so that it never changes the host's
   * bridges or firewall; `docker run` gets --network none.
   */
  async peerAddress(): Promise<PeerAddress> {
    throw new HostRequirementError('PEER_UNREACHABLE', 'docker offers no network path to a peer on the host here: isobench\'s dockerd runs with --bridge=none --iptables=false so it never changes the host\'s bridges or firewall', {
      hint: 'the network scenario measures the other runtimes; Docker\'s own bridge would need a daemon allowed to edit the host firewall',
    });
  }

  /** The next image of the run loads into the same daemon: stopping and starting it costs a second or two for nothing. */
  async release(): Promise<void> {
    this.keepDaemon = true;
    try {
      await super.cleanup();
    } finally {
      this.keepDaemon = false;
    }
  }

  /** Everything, the daemon included, also when a release() was under way (a second Ctrl-C) and kept it. */
  override async cleanup(): Promise<void> {
    this.keepDaemon = false;
    await super.cleanup();
    const kept = this.daemon;
    this.daemon = undefined;
    if (kept) await kept.stop();
  }

  protected async teardown(): Promise<void> {
    // Between images the runs are over (killed above if not): the daemon holds no container of theirs (--rm).
    if (this.keepDaemon && this.daemon && daemonAlive(this.daemon)) return;
    // A killed CLI leaves its container running in the daemon: stopping the daemon (SIGTERM) stops those too.
    if (this.daemon) await this.daemon.stop();
    this.daemon = undefined;
  }
}
