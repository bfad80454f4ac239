import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { NATIVE_DIR } from '../../src/core/version.js';
import { buildWorkloadImage, APPS_RECIPE, APP_PATHS } from '../../src/image/index.js';
import { HostEnvironment } from '../../src/envs/host/index.js';
import type { ImageRef } from '../../src/image/types.js';
import type { Prepared } from '../../src/envs/types.js';
import { redisWorkload, httpWorkload, sqliteWorkload, fioWorkload, compressWorkload, type Workload } from '../../src/scenario/workloads/index.js';
import { tempContext } from '../envs/chroot/fixture-rootfs.js';

const tools = [APP_PATHS.redisServer, APP_PATHS.redisBenchmark, APP_PATHS.sqlite3, APP_PATHS.nginx, APP_PATHS.wrk, APP_PATHS.fio, APP_PATHS.gzip];
const missing = tools.filter((t) => !existsSync(t));
const skip = missing.length ? `needs ${missing.join(', ')} (scripts/setup installs them)` : !existsSync(`${NATIVE_DIR}/isobench-probe`) ? 'run npm run build first' : undefined;
if (skip) console.warn(`apps image tests skipped: ${skip}`);

/**
 * The applications image built from the host's Debian packages, and each
 * application scenario's script run from it by the host arm (the image's own
 * binaries through the unpacked rootfs, server and client on 127.0.0.1) with
 * little work: the output must parse with the scenario's parser.
 */
describe.skipIf(!!skip)('the apps image and its scripts', () => {
  let t: Awaited<ReturnType<typeof tempContext>>;
  let image: ImageRef;
  let env: HostEnvironment;
  let prepared: Prepared;

  beforeAll(async () => {
    t = await tempContext('isobench-apps-');
    image = await buildWorkloadImage(t.home, { recipe: APPS_RECIPE });
    env = new HostEnvironment(t.ctx);
    prepared = await env.prepare(image);
  }, 300000);

  afterAll(async () => {
    await env?.cleanup();
    await t?.dispose();
  });

  it('is deterministic: a second build from the same inputs is the same digest, stored next to the workload image', async () => {
    expect(image.name).toBe('isobench/apps:latest');
    const again = await buildWorkloadImage(t.home, { recipe: APPS_RECIPE, force: true });
    expect(again.digest).toBe(image.digest);
    expect(image.layers).toHaveLength(4);
  }, 300000);

  const cases: [string, Workload<Record<string, unknown>>, Record<string, unknown>, string][] = [
    ['redis', redisWorkload as never, { requests: 200, clients: 2 }, 'set_ops_per_sec'],
    ['http', httpWorkload as never, { requests: 300, seconds: 60, connections: 2, fileBytes: 4096 }, 'requests_per_sec'],
    ['sqlite', sqliteWorkload as never, { transactions: 2, rowsPerTransaction: 10, queries: 50 }, 'ops_per_sec'],
    ['fio', fioWorkload as never, { fileMiB: 2, ios: 50 }, 'randread_iops'],
    ['compress', compressWorkload as never, { sizeMiB: 1, level: 1 }, 'mb_per_sec'],
  ];
  it.each(cases)('%s runs from the image on the host and its output parses', async (_name, w, params, primary) => {
    const token = `apps${Math.random().toString(36).slice(2)}`;
    const built = w.build(w.paramsSchema.parse(params) as never, { scratchDir: '/tmp', uniqueId: token });
    const r = await env.start(prepared, { argv: built.argv, token, env: {}, timeoutMs: 120000, limits: {} });
    // The host arm runs the image's copy of the script (and through it the image's binaries).
    expect(r.commandLine.some((a) => a.endsWith(`/rootfs/isobench/apps/${w.type}.sh`))).toBe(true);
    const out = await env.wait(r);
    expect(out.exitCode, out.output).toBe(0);
    const m = w.parse(out.output, w.paramsSchema.parse(params) as never);
    expect(m[primary]).toBeGreaterThan(0);
    if (w.type === 'http') {
      // wrk stopped at its request count, long before its 60 s -d: less the two in flight and the one request()
      // call wrk makes at set-up to check the script's request.
      expect(out.output).toMatch(/^isobench\.result stopped_by_count=1 1/m);
      expect(m.requests).toBeGreaterThanOrEqual(297);
      expect(m.requests).toBeLessThanOrEqual(300);
      expect(out.exitMs).toBeLessThan(30000);
    }
  }, 180000);
});
