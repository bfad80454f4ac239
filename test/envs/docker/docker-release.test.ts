import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerdSkip, mentioning, removeDaemonTmp } from './daemon-helpers.js';
import { resolveHome } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { buildWorkloadImage } from '../../../src/image/index.js';
import { DockerEnvironment } from '../../../src/envs/docker/index.js';
import { dockerPaths } from '../../../src/envs/docker/paths.js';
import type { Prepared } from '../../../src/envs/types.js';

const skip = dockerdSkip;

const daemonPid = (p: Prepared): string => /\(pid (\d+),/.exec(p.facts?.dockerDaemon ?? '')?.[1] ?? '?';

/**
 * Between two images of one run, release() keeps isobench's dockerd (the next
 * prepare() loads into it instead of starting another); cleanup() still
 * stops it and every process under its exec-root.
 */
describe.skipIf(skip !== undefined)(`docker release between images ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let tmp: string | undefined;
  afterAll(() => removeDaemonTmp(tmp), 60_000);

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
