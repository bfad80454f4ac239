import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchImage as bench } from './image-cli.js';
import { NATIVE_DIR } from '../../src/core/version.js';
import { resolveHome } from '../../src/core/home.js';
import { openStore } from '../../src/engine/store/index.js';

const missing = ['/bin/busybox', '/usr/bin/sysbench', path.join(NATIVE_DIR, 'isobench-probe')].filter((p) => !fs.existsSync(p));

let base: string;
beforeAll(async () => { base = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-cli-image-')); });
afterAll(async () => { await fsp.rm(base, { recursive: true, force: true }); });

describe.skipIf(missing.length > 0)(`bench image ${missing.length ? `(missing ${missing.join(', ')})` : ''}`, () => {
  it('build, ls, inspect, export, import elsewhere, rm', async () => {
    const a = path.join(base, 'a');
    const b = path.join(base, 'b');
    // `image build` prints one line per recipe image; the workload image comes first.
    const built = (await bench(a, 'build')).trim().split('\n')[0]!;
    expect(built).toMatch(/^isobench\/workload:latest sha256:[0-9a-f]{64}$/);
    const digest = built.split(' ')[1]!;
    expect(await bench(a, 'ls')).toContain(`isobench/workload:latest  ${digest.slice(0, 19)}  3`);
    const inspect = await bench(a, 'inspect', 'isobench/workload');
    expect(inspect).toContain(`Digest:      ${digest}`);
    expect(inspect).toContain('Entrypoint:  ["/isobench/probe"]');
    expect(inspect).toContain('isobench recipe: sysbench');
    const json = JSON.parse(await bench(a, 'inspect', '--json', 'isobench/workload')) as { manifest: { layers: unknown[] } };
    expect(json.manifest.layers).toHaveLength(3);

    const tarPath = path.join(base, 'wl.tar');
    await bench(a, 'export', 'isobench/workload', tarPath);
    expect(await bench(b, 'import', tarPath)).toContain(`imported isobench/workload:latest ${digest}`);

    // A damaged archive: clear error, nothing imported.
    const bad = path.join(base, 'bad.tar');
    const buf = await fsp.readFile(tarPath);
    const storeA = await openStore(resolveHome(a).store);
    const layer = await storeA.readBlob((await storeA.resolve('isobench/workload')).layers[2]!.digest);
    const at = buf.indexOf(layer.subarray(0, 256));
    expect(at).toBeGreaterThan(0);
    buf[at + 1000] = (buf[at + 1000] ?? 0) ^ 0xff; // a flipped byte inside the probe layer
    await fsp.writeFile(bad, buf);
    const c = path.join(base, 'c');
    await expect(bench(c, 'import', bad)).rejects.toMatchObject({ code: 'STORE_ARCHIVE_INVALID' });
    expect(await (await openStore(resolveHome(c).store)).blobs.list()).toEqual([]);

    expect(await bench(b, 'rm', 'isobench/workload', '--prune-snapshots')).toMatch(/removed isobench\/workload .*\(5 blob\(s\) deleted\)/);
    expect(await bench(b, 'ls')).toContain('no images');
    await expect(bench(b, 'inspect', 'isobench/workload')).rejects.toMatchObject({ code: 'STORE_IMAGE_NOT_FOUND' });
  });
});

describe('bench image ls with a broken entry', () => {
  it('lists the good images and flags the one whose manifest is damaged', async () => {
    const home = path.join(base, 'broken');
    const store = await openStore(resolveHome(home).store);
    const layer = await store.putBlob(Buffer.from('not really a tar, never unpacked here'));
    const config = await store.putConfig({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } });
    const mk = async (name: string, n: number): Promise<string> => {
      const m = await store.putManifest({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layer.digest, size: layer.size }], annotations: { n: String(n) } });
      await store.tag(name, m.digest);
      return m.digest;
    };
    const good = await mk('t/good:1', 1);
    const bad = await mk('t/bad:1', 2);
    // Damage the bad manifest in place (one flipped byte).
    const file = store.blobPath(bad);
    const bytes = await fsp.readFile(file);
    bytes[5] = (bytes[5] ?? 0) ^ 0x01;
    await fsp.chmod(file, 0o644);
    await fsp.writeFile(file, bytes);

    const out = await bench(home, 'ls');
    expect(out).toContain(`t/good:1  ${good.slice(0, 19)}  1`);
    expect(out).toMatch(/t\/bad:1 +sha256:\S+ +- +BROKEN/);
    const json = JSON.parse(await bench(home, 'ls', '--json')) as { name: string; broken?: string }[];
    expect(json.find((r) => r.name === 't/good:1')?.broken).toBeUndefined();
    expect(json.find((r) => r.name === 't/bad:1')?.broken).toMatch(/corrupt/);
  });
});
