import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { buildWorkloadImage } from '../../../src/image/index.js';
import { DockerEnvironment } from '../../../src/envs/docker/index.js';
import { stopDaemonOf } from '../../../src/envs/docker/daemon.js';
import { dockerPaths } from '../../../src/envs/docker/paths.js';
import type { Prepared } from '../../../src/envs/types.js';

function which(bin: string): boolean {
  return (process.env.PATH ?? '/usr/sbin:/usr/bin').split(':').some((d) => fs.existsSync(path.join(d, bin)));
}
const skip = process.getuid?.() !== 0 ? 'needs root' : !which('dockerd') ? 'dockerd not installed (apt-get install docker.io)' : !which('unshare') ? 'unshare missing (util-linux)' : undefined;

function mentioning(needle: string): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid).filter((d) => {
    try { return fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle); } catch { return false; }
  }).map(Number);
}

const daemonPid = (p: Prepared): string => /\(pid (\d+),/.exec(p.facts?.dockerDaemon ?? '')?.[1] ?? '?';

/**
 * Between two images of one run, release() keeps isobench's dockerd (the next
 * prepare() loads into it instead of starting another); cleanup() still
 * stops it and every process under its exec-root.
 */
describe.skipIf(skip !== undefined)(`docker release between images ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let tmp: string | undefined;
  afterAll(async () => {
    if (!tmp) return;
    await stopDaemonOf(resolveHome(path.join(tmp, 'home'))).catch(() => []);
    const mounted = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => (l.split(' ')[4] ?? '').startsWith(tmp!));
    if (!mounted) await fsp.rm(tmp, { recursive: true, force: true });
  }, 60_000);

  it('keeps the same daemon across release() and a second prepare(), and cleanup() stops it', async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-docker-release-'));
    const home = resolveHome(path.join(tmp, 'home'));
    const image = await buildWorkloadImage(home);
    const env = new DockerEnvironment({ home, nativeDir: NATIVE_DIR, runId: `t${process.pid}`, log: () => {} });
    const a = await env.available();
    expect(a.ok, a.reason).toBe(true);
    const execRoot = dockerPaths(home).execRoot;
    try {
      const run = async (p: Prepared): Promise<void> => {
        const token = `tok${crypto.randomBytes(4).toString('hex')}`;
        const r = await env.start(p, { argv: ['/bin/true'], token, env: {}, timeoutMs: 120_000, limits: {} });
        expect((await env.wait(r)).exitCode).toBe(0);
      };
      const first = await env.prepare(image);
      await run(first);
      await env.release();
      const pid = daemonPid(first);
      expect(fs.existsSync(`/proc/${pid}`)).toBe(true);
      const second = await env.prepare(image);
      expect(daemonPid(second)).toBe(pid);
      await run(second);
    } finally {
      await env.cleanup();
    }
    expect(mentioning(execRoot)).toEqual([]);
    expect(fs.existsSync(execRoot)).toBe(false);
  }, 300_000);
});
