import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_DIR } from '../../src/core/version.js';
import { parseProbeResults } from '../../src/scenario/workloads/probe-result.js';

const probe = path.join(NATIVE_DIR, 'isobench-probe');
const run = promisify(execFile);

describe.skipIf(!fs.existsSync(probe))('probe net (server + stream + pingpong on 127.0.0.1)', () => {
  let server: ReturnType<typeof spawn>;
  let port = 0;
  beforeAll(async () => {
    server = spawn(probe, ['net', 'server', '0', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    port = await new Promise<number>((resolve, reject) => {
      server.stdout?.on('data', (b: Buffer) => {
        const m = /isobench\.net listening (\d+)/.exec(b.toString());
        if (m) resolve(Number(m[1]));
      });
      server.once('exit', () => reject(new Error('probe net server exited')));
    });
  });
  afterAll(() => { if (server?.pid) server.kill('SIGKILL'); });

  it('streams BYTES and reports a positive throughput only after the server counted them all', async () => {
    const { stdout } = await run(probe, ['net', 'stream', '127.0.0.1', String(port), String(256 * 1024 * 1024)]);
    const r = Object.fromEntries(parseProbeResults(stdout).map((x) => [x.name, x]));
    expect(r.throughput_mib_per_sec?.unit).toBe('MiB/s');
    expect(r.throughput_mib_per_sec!.value).toBeGreaterThan(0);
    // 256 MiB / seconds must equal the reported throughput (same clock, same bytes); seconds are printed to 1 ms.
    const implied = 256 / r.stream_seconds!.value;
    expect(Math.abs(r.throughput_mib_per_sec!.value - implied) / implied).toBeLessThan(0.05);
  });

  it('ping-pong reports mean and percentiles in microseconds, ordered', async () => {
    const { stdout } = await run(probe, ['net', 'pingpong', '127.0.0.1', String(port), '2000', '64']);
    const r = Object.fromEntries(parseProbeResults(stdout).map((x) => [x.name, x.value]));
    expect(r.rtt_us).toBeGreaterThan(0);
    expect(r.rtt_p50_us!).toBeLessThanOrEqual(r.rtt_p99_us!);
  });

  it('fails with a message when nothing listens', async () => {
    await expect(run(probe, ['net', 'stream', '127.0.0.1', '1', '10'])).rejects.toMatchObject({ stderr: expect.stringContaining('Connection refused') });
    await expect(run(probe, ['net', 'stream', 'localhost', String(port), '10'])).rejects.toMatchObject({ stderr: expect.stringContaining('numeric') });
  });
});
