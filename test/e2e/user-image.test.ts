/**
 * A user's own image and command, end to end through the real CLI, in every
 * environment this host can run: a debootstrap'd Debian packed as an OCI
 * archive, a `docker save` of a `docker import`ed image (private dockerd), a
 * pull from a local registry, a scenario file with `image:` and `metrics`
 * whose metric is parsed in the VM guest, and a failing command that fails
 * its environments while the run goes on.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/core/version.js';
import { resolveHome } from '../../src/core/home.js';
import { mountsUnder } from '../../src/engine/rootfs/mounts.js';
import { openStore, importImageArchive } from '../../src/engine/store/index.js';
import { push } from '../../src/engine/registry/index.js';
import type { RunResults } from '../../src/results/types.js';
import { debianImageUnavailable, debianRootfsTarball, packOciArchive } from '../helpers/debian-image.js';
import { dockerdUnavailable, startDockerd, type PrivateDockerd } from '../helpers/dockerd.js';
import { registryAvailable, startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { tarBuffer } from '../helpers/image-archives.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
const isRoot = process.getuid?.() === 0;
const LOOP = 'sh -c "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done"';

let tmp = '';
let tinyRootfs = '';
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-userimg-e2e-'));
  // A small image of the user's own: static busybox with sh and a few applets.
  tinyRootfs = path.join(tmp, 'tiny-rootfs.tar');
  const applets = ['sh', 'echo', 'true', 'gzip', 'head', 'cat', 'dd'];
  fs.writeFileSync(tinyRootfs, await tarBuffer([
    { name: 'bin/', type: 'directory' }, { name: 'tmp/', type: 'directory', mode: 0o1777 }, { name: 'etc/', type: 'directory' },
    { name: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' },
    { name: 'etc/group', data: 'root:x:0:\nnogroup:x:65534:\n' },
    { name: 'bin/busybox', data: fs.existsSync('/bin/busybox') ? fs.readFileSync('/bin/busybox') : Buffer.alloc(0), mode: 0o755 },
    ...applets.map((a) => ({ name: `bin/${a}`, type: 'symlink' as const, linkname: 'busybox' })),
  ]));
});
afterAll(async () => {
  if (!tmp) return;
  // Never delete through a mount a killed run may have left.
  await new Promise<void>((res) => spawn(process.execPath, [CLI, '--home', path.join(tmp, 'home'), 'gc'], { stdio: 'ignore' }).on('exit', () => res()));
  if (mountsUnder(tmp).length === 0) await fsp.rm(tmp, { recursive: true, force: true });
});

function bench(args: string[], home: string, timeoutMs = 20 * 60_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--home', home, ...args], { env: { ...process.env, CI: 'true' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
    const t = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('exit', (code) => { clearTimeout(t); resolve({ code, out }); });
  });
}

function readResults(outDir: string): RunResults {
  return JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8')) as RunResults;
}

/** Every environment the host can run ran the command: ok, or skipped with a reason; none failed. */
function expectEveryAvailableEnvRan(r: RunResults, userDigest: string): void {
  const s = r.scenarios[0]!;
  expect(s.userImage?.digest).toBe(userDigest);
  expect(s.userImage?.runDigest).toMatch(/^sha256:/);
  expect(s.userImage?.runDigest).not.toBe(userDigest);
  for (const e of s.envs) {
    const info = r.environments.find((i) => i.name === e.env)!;
    if (info.status === 'skipped') { expect(e.status).toBe('skipped'); continue; }
    expect(e.status, `${e.env}: ${JSON.stringify(e.status === 'failed' ? e.error : '')} ${e.status === 'failed' ? e.outputTail : ''}`).toBe('ok');
    if (e.status !== 'ok') continue;
    expect(e.imageDigest).toBe(s.userImage!.runDigest);
    expect(e.stats.execMs?.n).toBeGreaterThanOrEqual(1);
    expect(e.stats.execMs!.median).toBeGreaterThan(0);
  }
  expect(s.envs.filter((e) => e.status === 'ok').length).toBeGreaterThanOrEqual(1);
}

function expectReportsShowImage(outDir: string, r: RunResults): void {
  const u = r.scenarios[0]!.userImage!;
  for (const f of ['report.md', 'report.html']) {
    const text = fs.readFileSync(path.join(outDir, f), 'utf8');
    expect(text, f).toContain('Your images and commands');
    expect(text, f).toContain(u.digest);
    expect(text, f).toContain(u.runDigest);
  }
  const junit = fs.readFileSync(path.join(outDir, 'junit.xml'), 'utf8');
  expect(junit).toContain('<testsuite name="commands"');
  expect(junit).toContain(u.runDigest);
}

describe.skipIf(!isRoot || debianImageUnavailable() !== undefined)(`a Debian image (debootstrap, OCI archive) ${debianImageUnavailable() ?? ''}`, () => {
  it('runs a shell loop in every environment and reports both digests', async () => {
    const rootfs = await debianRootfsTarball();
    const packed = await packOciArchive(rootfs, path.join(tmp, 'debian.oci.tar'), { name: 'test/debian:minbase' });
    const out = path.join(tmp, 'out-debian');
    const res = await bench(['run', '--image', packed.file, '--command', LOOP, '--rounds', '1', '--warmup', '0', '--out', out], path.join(tmp, 'home'));
    expect(res.code, res.out.slice(-3000)).toBe(0);
    const r = readResults(out);
    expect(r.scenarios[0]!.userImage?.source).toBe('oci-archive');
    expectEveryAvailableEnvRan(r, packed.digest);
    expectReportsShowImage(out, r);
  }, 30 * 60_000);
});

describe.skipIf(!isRoot || dockerdUnavailable() !== undefined)(`a docker save archive of a docker import ${dockerdUnavailable() ?? ''}`, () => {
  let dockerd: PrivateDockerd | undefined;
  afterAll(async () => { await dockerd?.stop(); });

  it('converts to OCI, records the Docker image ID and the OCI digest, and runs everywhere', async () => {
    dockerd = await startDockerd();
    await dockerd.docker(['import', '--change', 'WORKDIR /tmp', tinyRootfs, 'mine/tiny:1']);
    const imageId = (await dockerd.docker(['inspect', '--format', '{{.Id}}', 'mine/tiny:1'])).trim();
    const saved = path.join(tmp, 'tiny-docker.tar');
    await dockerd.docker(['save', '-o', saved, 'mine/tiny:1']);
    await dockerd.stop();
    dockerd = undefined;
    const out = path.join(tmp, 'out-docker');
    const res = await bench(['run', '--image', saved, '--command', LOOP, '--rounds', '1', '--warmup', '0', '--out', out], path.join(tmp, 'home'));
    expect(res.code, res.out.slice(-3000)).toBe(0);
    const r = readResults(out);
    const u = r.scenarios[0]!.userImage!;
    expect(u.source).toBe('docker-archive');
    expect(u.dockerImageId).toBe(imageId);
    expectEveryAvailableEnvRan(r, u.digest);
    expectReportsShowImage(out, r);
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain(imageId);
  }, 30 * 60_000);
});

describe.skipIf(!isRoot || !registryAvailable())('a pulled image from a local registry', () => {
  let server: RegistryServer | undefined;
  afterAll(async () => { await server?.stop(); });

  it('pulls host:port/name:tag and runs everywhere', async () => {
    server = await startRegistry();
    const packed = await packOciArchive(tinyRootfs, path.join(tmp, 'tiny.oci.tar'), { name: 'mine/tiny:reg' });
    // Pushed from a scratch store: the run's home has never seen the image.
    const pusher = await openStore(resolveHome(path.join(tmp, 'pusher')).store);
    await importImageArchive(pusher, packed.file);
    const remote = `${server.host}/mine/tiny:reg`;
    await push(pusher, 'mine/tiny:reg', remote);
    const out = path.join(tmp, 'out-registry');
    const res = await bench(['run', '--image', remote, '--command', LOOP, '--rounds', '1', '--warmup', '0', '--out', out], path.join(tmp, 'home-registry'));
    expect(res.code, res.out.slice(-3000)).toBe(0);
    const r = readResults(out);
    expect(r.scenarios[0]!.userImage).toMatchObject({ source: 'registry', ref: remote, digest: packed.digest });
    expectEveryAvailableEnvRan(r, packed.digest);
    expectReportsShowImage(out, r);
  }, 30 * 60_000);
});

describe.skipIf(!isRoot)('a scenario file with image:, metrics and a failing command', () => {
  it('the VM guest runs the user command as its workload and its metric is parsed', async () => {
    const scen = path.join(tmp, 'scen-metric');
    fs.mkdirSync(scen, { recursive: true });
    await packOciArchive(tinyRootfs, path.join(scen, 'tiny.oci.tar'), { name: 'mine/tiny:metric' });
    fs.writeFileSync(path.join(scen, 'mine.yaml'), [
      'name: mine', 'description: prints its own rate', 'image: ./tiny.oci.tar',
      'workload:', '  type: command', '  params:',
      '    shell: "echo warming; echo rate: 42.5 ops/s; pwd"',
      '    workdir: /tmp',
      '    metrics:', '      rate: { regex: "rate: ([0-9.]+) ops/s", unit: ops/s, better: higher }',
      'environments: [host, vm]', 'rounds: 1', 'warmup: 0', '',
    ].join('\n'));
    const out = path.join(tmp, 'out-metric');
    const res = await bench(['run', 'mine', '--scenarios-dir', scen, '--out', out], path.join(tmp, 'home'));
    expect(res.code, res.out.slice(-3000)).toBe(0);
    const r = readResults(out);
    const s = r.scenarios[0]!;
    expect(s.primaryMetric).toMatchObject({ name: 'rate', unit: 'ops/s', higherIsBetter: true });
    for (const e of s.envs) {
      const info = r.environments.find((i) => i.name === e.env)!;
      if (info.status === 'skipped') continue;
      expect(e.status, JSON.stringify(e)).toBe('ok');
      if (e.status !== 'ok') continue;
      expect(e.samples[0]!.metrics.rate).toBe(42.5);
      expect(e.stats.rate!.median).toBe(42.5);
    }
    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/rate \(ops\/s, higher is better\) ★/);
  }, 20 * 60_000);

  it('a command exiting non-zero fails its environments with the exit code and output tail; the next command still runs', async () => {
    const out = path.join(tmp, 'out-fail');
    // Not on the host: a failed host baseline makes the whole run exit 1 by design.
    const res = await bench(['run', '--command', 'sh -c "echo boom-from-user; exit 3"', '--command', 'true', '--env', 'chroot,container', '--rounds', '1', '--warmup', '0', '--out', out], path.join(tmp, 'home'));
    expect(res.code, res.out.slice(-3000)).toBe(0);
    const r = readResults(out);
    const [bad, good] = r.scenarios;
    for (const e of bad!.envs) {
      expect(e.status).toBe('failed');
      if (e.status !== 'failed') continue;
      expect(e.error.code).toBe('RUN_NONZERO_EXIT');
      expect(e.error.message).toMatch(/exited with status 3 in (chroot|container); output ends: boom-from-user/);
      expect(e.outputTail).toContain('boom-from-user');
    }
    expect(good!.envs.map((e) => e.status)).toEqual(['ok', 'ok']);
    expect(fs.readFileSync(path.join(out, 'junit.xml'), 'utf8')).toMatch(/<failure type="RUN_NONZERO_EXIT"/);
  }, 10 * 60_000);
});
