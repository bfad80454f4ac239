import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { GvisorEnvironment } from '../../../src/envs/gvisor/index.js';

function which(bin: string): boolean {
  return (process.env.PATH ?? '/usr/sbin:/usr/bin').split(':').some((d) => fs.existsSync(path.join(d, bin)));
}
const skip = process.getuid?.() !== 0 ? 'needs root' : !which('runsc') ? 'runsc not installed (apt-get install runsc)' : !fs.existsSync('/bin/busybox') ? 'no /bin/busybox' : undefined;

/**
 * gVisor's platform probe (which can wait out an 8 s deadline per platform)
 * runs once per boot: a second environment on the same home serves the
 * stored verdict and says so in its facts, with the date of the probe.
 */
describe.skipIf(skip !== undefined)(`gVisor platform verdict cache ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let tmp: string | undefined;
  afterAll(async () => { if (tmp) await fsp.rm(tmp, { recursive: true, force: true }); });

  it('probes on the first check, serves the verdict from the home on the next, and leaves no run dir', async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-gvisor-cache-'));
    const home = resolveHome(path.join(tmp, 'home'));
    const ctx = (runId: string) => ({ home, nativeDir: NATIVE_DIR, runId, log: () => {} });
    const first = await new GvisorEnvironment(ctx('first')).available();
    expect(first.facts?.gvisorPlatformVerdict).toMatch(/^probed in this run at \d{4}-/);
    const probedAt = /at (\S+)$/.exec(first.facts!.gvisorPlatformVerdict!)![1];
    const second = await new GvisorEnvironment(ctx('second')).available();
    expect(second.facts?.gvisorPlatformVerdict).toContain(`cached: probed at ${probedAt}`);
    expect(second.facts?.gvisorPlatform).toBe(first.facts?.gvisorPlatform);
    expect(second.ok).toBe(first.ok);
    expect(fs.existsSync(path.join(home.cache, 'gvisor', 'platform.json'))).toBe(true);
    expect(fs.existsSync(home.runs) ? await fsp.readdir(home.runs) : []).toEqual([]);
  }, 120_000);
});
