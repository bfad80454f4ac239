import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome, type HomePaths } from '../../../src/core/home.js';
import { openEngine, runContainer, deleteContainer, readLogs, type Engine } from '../../../src/engine/container/index.js';
import { networkOptions, networkLeftovers, readNetworkRecord, gcNetwork } from '../../../src/engine/network/index.js';
import { gcHome } from '../../../src/engine/gc/index.js';
import { containerSkipReason, makeRootDir, runToEnd, PROBE } from './fixture.js';

const run = promisify(execFile);
const skip = containerSkipReason();

describe.skipIf(skip !== undefined)(`engine bridge network ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let tmp: string;
  let home: HomePaths;
  let engine: Engine;
  let root: string;
  let hostListener: net.Server;
  let hostPort = 0;

  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-h8-net-'));
    home = resolveHome(path.join(tmp, 'home'));
    engine = openEngine(home);
    root = await makeRootDir(path.join(tmp, 'root'));
    hostListener = net.createServer((s) => s.end('host-secret\n'));
    await new Promise<void>((r) => hostListener.listen(0, '127.0.0.1', () => r()));
    hostPort = (hostListener.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => hostListener?.close(() => r()));
    if (home) {
      for (const id of ['srv', 'cli', 'none', 'pub', 'loop']) await deleteContainer(engine, id, { force: true }).catch(() => {});
      await gcHome(home).catch(() => {});
      await gcNetwork(home).catch(() => {});
    }
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  });

  const base = (id: string, argv: string[]) => ({ id, rootfs: { kind: 'dir' as const, dir: root }, argv });

  it('two containers on the bridge exchange data; --network none cannot reach them; host loopback stays unreachable; -p publishes on 127.0.0.1; nothing is left', async () => {
    // Server container: probe net server on all its addresses.
    const srvNet = await networkOptions(home, 'bridge', ['0:7000'].slice(1), 'srv');
    await runContainer(engine, { ...base('srv', ['/isobench/probe', 'net', 'server', '7000']), ...srvNet }, undefined, { detach: true });
    const srv = (await readNetworkRecord(home, 'srv'))!;
    expect(srv.address).toMatch(/^10\.88\.\d+\.\d+$/);
    // Wait for the listening line in its log.
    for (let i = 0; i < 200 && !(await readLogs(engine, 'srv')).includes('listening'); i++) await new Promise((r) => setTimeout(r, 20));

    const cliNet = await networkOptions(home, 'bridge', [], 'cli');
    const cli = await runToEnd(engine, { ...base('cli', ['/isobench/probe', 'net', 'stream', srv.address, '7000', String(8 << 20)]), ...cliNet });
    expect(cli.output).toMatch(/isobench\.result throughput_mib_per_sec=\d/);
    expect(cli.exitCode).toBe(0);

    const none = await runToEnd(engine, { ...base('none', ['/isobench/probe', 'net', 'stream', srv.address, '7000', '1000']), ...(await networkOptions(home, 'none', [], 'none')) });
    expect(none.exitCode).not.toBe(0);
    expect(none.output).toMatch(/connect .*(unreachable|refused)/i);

    // The host's 127.0.0.1 listener: not the container's loopback, and not reachable via the gateway either.
    const loopNet = await networkOptions(home, 'bridge', [], 'loop');
    const loop = await runToEnd(engine, {
      ...base('loop', ['/bin/busybox', 'sh', '-c', `/isobench/probe net stream 127.0.0.1 ${hostPort} 10; echo rc1=$?; /isobench/probe net stream ${srv.gateway} ${hostPort} 10; echo rc2=$?`]),
      ...loopNet,
    });
    expect(loop.output).toContain('rc1=1');
    expect(loop.output).toContain('rc2=1');
    expect(loop.output).not.toContain('host-secret');

    // Published port: a server container reachable from the host on 127.0.0.1:<hostport> only through the proxy.
    const pubPort = await new Promise<number>((r) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });
    const pubNet = await networkOptions(home, 'bridge', [`${pubPort}:7000`], 'pub');
    await runContainer(engine, { ...base('pub', ['/isobench/probe', 'net', 'server', '7000']), ...pubNet }, undefined, { detach: true });
    for (let i = 0; i < 200 && !(await readLogs(engine, 'pub')).includes('listening'); i++) await new Promise((r) => setTimeout(r, 20));
    const { stdout } = await run(PROBE, ['net', 'stream', '127.0.0.1', String(pubPort), String(1 << 20)]);
    expect(stdout).toMatch(/throughput_mib_per_sec=\d/);

    expect((await networkLeftovers(home)).length).toBeGreaterThan(0);
    for (const id of ['srv', 'cli', 'none', 'pub', 'loop']) await deleteContainer(engine, id, { force: true });
    expect(await networkLeftovers(home)).toEqual([]);
    // The published port is closed again (the proxy died with the container's network).
    await expect(run(PROBE, ['net', 'stream', '127.0.0.1', String(pubPort), '10'])).rejects.toBeTruthy();
  });

  it('concurrent attaches never share an address; gc removes networks of containers that are gone', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `par${i}`);
    const recs = await Promise.all(ids.map((id) => networkOptions(home, 'bridge', [], id).then(() => readNetworkRecord(home, id))));
    const addrs = recs.map((r) => r!.address);
    expect(new Set(addrs).size).toBe(ids.length);
    // No container dirs exist for these ids: gc treats them as leftovers of crashed starts.
    await gcHome(home);
    expect(await networkLeftovers(home)).toEqual([]);
  });
});
