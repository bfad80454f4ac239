import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerdSkip, mentioning, removeDaemonTmp } from './daemon-helpers.js';
import { resolveHome } from '../../../src/core/home.js';
import { startDaemon } from '../../../src/envs/docker/daemon.js';
import { dockerPaths } from '../../../src/envs/docker/paths.js';
import { gcAll } from '../../../src/measure/gc-all.js';

const skip = dockerdSkip;

describe.skipIf(skip !== undefined)(`isobench's own dockerd ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let tmp: string | undefined;
  afterAll(() => removeDaemonTmp(tmp), 60_000);

  it('runs on its own socket and data-root, leaves no mount on the host, and gc stops it (and its containerd) once its harness is gone', async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-dockerd-'));
    const home = resolveHome(path.join(tmp, 'home'));
    const p = dockerPaths(home);
    const d = await startDaemon(home, 120_000);
    expect(d.version).toMatch(/\d+\.\d+/);
    expect(fs.existsSync(p.socket)).toBe(true);
    expect(fs.existsSync(path.join(p.dataRoot, 'image'))).toBe(true);
    expect(mentioning(p.execRoot).length).toBeGreaterThanOrEqual(2); // dockerd and its containerd
    // Its mounts stay in its own mount namespace.
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => (l.split(' ')[4] ?? '').startsWith(p.dataRoot))).toEqual([]);

    // While its harness lives, gc keeps it.
    await gcAll(home);
    expect(fs.existsSync(`/proc/${d.pid}`)).toBe(true);

    // Its harness "crashed": a pid that has exited.
    const dead = spawnSync('true').pid!;
    const rec = JSON.parse(await fsp.readFile(p.record, 'utf8')) as Record<string, unknown>;
    await fsp.writeFile(p.record, JSON.stringify({ ...rec, ownerPid: dead }));
    const r = await gcAll(home);
    expect(r.runtimes.join('\n')).toContain(`dockerd ${d.pid}`);
    expect(mentioning(p.execRoot)).toEqual([]);
    expect(fs.existsSync(p.execRoot)).toBe(false);
  }, 180_000);
});
