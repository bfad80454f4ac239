import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import tar from 'tar-stream';
import {
  openStore, sha256Digest, DigestMismatchError, StoreError, MEDIA_TYPES, type OciStore,
} from '../../../src/engine/store/index.js';

let dir: string;
let store: OciStore;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-store-'));
  store = await openStore(path.join(dir, 'store'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function makeImage(s: OciStore, name: string, layerText = 'layer'): Promise<string> {
  const layer = await s.putBlob(Buffer.from(layerText));
  const config = await s.putConfig({ architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin'], Entrypoint: ['/x'] }, rootfs: { type: 'layers', diff_ids: [layer.digest] } });
  const manifest = await s.putManifest({ schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers: [{ mediaType: MEDIA_TYPES.layerTar, ...layer }] });
  await s.tag(name, manifest.digest);
  return manifest.digest;
}

describe('OCI store', () => {
  it('creates the layout files of the OCI spec', async () => {
    expect(JSON.parse(await fsp.readFile(path.join(store.root, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    expect(JSON.parse(await fsp.readFile(path.join(store.root, 'index.json'), 'utf8')).manifests).toEqual([]);
  });

  it('stores blobs by digest from buffers and streams, and rejects a wrong expected digest', async () => {
    const data = Buffer.from('hello world');
    const a = await store.putBlob(data);
    expect(a).toEqual({ digest: sha256Digest(data), size: 11 });
    expect(fs.existsSync(path.join(store.root, 'blobs/sha256', a.digest.slice(7)))).toBe(true);
    const b = await store.putBlob(Readable.from([Buffer.from('hello '), Buffer.from('world')]), a.digest);
    expect(b.digest).toBe(a.digest);
    const wrong = sha256Digest('other');
    await expect(store.putBlob(Readable.from([Buffer.from('tampered')]), wrong)).rejects.toBeInstanceOf(DigestMismatchError);
    expect(await store.hasBlob(wrong)).toBe(false);
    expect(await fsp.readdir(path.join(store.root, 'ingest'))).toEqual([]);
  });

  it('refuses to hand out a corrupted blob, naming its digest', async () => {
    const { digest } = await store.putBlob(Buffer.from('precious bytes'));
    await fsp.writeFile(store.blobPath(digest), 'precious bytez');
    await expect(store.readBlob(digest)).rejects.toThrow(digest);
    await expect(store.readBlob(digest)).rejects.toBeInstanceOf(DigestMismatchError);
    await expect(store.getBlob(digest)).rejects.toBeInstanceOf(DigestMismatchError);
    await expect(store.readBlob(sha256Digest('absent'))).rejects.toMatchObject({ code: 'STORE_BLOB_NOT_FOUND' });
    await expect(store.readBlob('sha256:../../etc/passwd')).rejects.toMatchObject({ code: 'STORE_BAD_DIGEST' });
    // Writing the right bytes again repairs it.
    await store.putBlob(Buffer.from('precious bytes'));
    expect((await store.readBlob(digest)).toString()).toBe('precious bytes');
  });

  it('tags, resolves, lists and removes images (gc of their own blobs only)', async () => {
    const m1 = await makeImage(store, 'demo/a', 'shared');
    const m2 = await makeImage(store, 'demo/b:v2', 'shared');
    expect(m1).toBe(m2); // same content, same digest
    const m3 = await makeImage(store, 'demo/c', 'unique');
    const ref = await store.resolve('demo/a:latest');
    expect(ref).toMatchObject({ name: 'demo/a:latest', digest: m1, config: { env: ['PATH=/bin'], entrypoint: ['/x'], cmd: [], workingDir: '/' }, storeRoot: store.root });
    expect(ref.layers[0]).toMatchObject({ digest: sha256Digest('shared'), diffId: sha256Digest('shared') });
    expect((await store.list()).map((i) => i.name)).toEqual(['demo/a:latest', 'demo/b:v2', 'demo/c:latest']);
    const idx = JSON.parse(await fsp.readFile(path.join(store.root, 'index.json'), 'utf8'));
    expect(idx.manifests[0].annotations['org.opencontainers.image.ref.name']).toBe('demo/a:latest');

    const r1 = await store.remove('demo/a');
    expect(r1.removedBlobs).toEqual([]); // demo/b still uses them
    const r3 = await store.remove('demo/c');
    expect(r3.removedBlobs).toContain(m3);
    expect(r3.removedBlobs).toContain(sha256Digest('unique'));
    expect(await store.hasBlob(sha256Digest('shared'))).toBe(true);
    await expect(store.resolve('demo/c')).rejects.toMatchObject({ code: 'STORE_IMAGE_NOT_FOUND' });
    await expect(store.remove('demo/c')).rejects.toBeInstanceOf(StoreError);
  });

  it('gc removes unreferenced blobs older than the grace period', async () => {
    await makeImage(store, 'demo/a', 'kept');
    const stray = await store.putBlob(Buffer.from('stray'));
    expect(await store.gc()).toEqual([]); // young: maybe someone is about to tag it
    expect(await store.gc({ graceMs: 0 })).toEqual([stray.digest]);
    expect(await store.hasBlob(sha256Digest('kept'))).toBe(true);
  });

  it('survives two processes writing the same blob and tagging at once', async () => {
    const script = `
      import { openStore } from ${JSON.stringify(path.resolve('src/engine/store/index.ts'))};
      const s = await openStore(process.argv[2]);
      const data = Buffer.alloc(4 * 1024 * 1024, 7);
      for (let i = 0; i < 5; i++) await s.putBlob(data);
      const { digest } = await s.putJson({ schemaVersion: 2, config: { mediaType: 'x', digest: 'sha256:' + '0'.repeat(64), size: 0 }, layers: [] }, 'application/vnd.oci.image.manifest.v1+json');
      for (let i = 0; i < 5; i++) await s.tag('p/' + process.argv[3] + ':' + i, digest);
    `;
    const file = path.join(dir, 'writer.mts');
    await fsp.writeFile(file, script);
    const run = (id: string) => new Promise<number>((res) => {
      const p = spawn(process.execPath, ['--import', 'tsx', file, store.root, id], { stdio: 'inherit' });
      p.on('exit', (c) => res(c ?? -1));
    });
    expect(await Promise.all([run('a'), run('b'), run('c')])).toEqual([0, 0, 0]);
    const digest = sha256Digest(Buffer.alloc(4 * 1024 * 1024, 7));
    expect((await store.readBlob(digest)).length).toBe(4 * 1024 * 1024);
    expect((await store.list()).length).toBe(15);
  }, 30_000);
});

describe('OCI archive export/import', () => {
  it('round-trips an image into a fresh store with the same manifest digest', async () => {
    const digest = await makeImage(store, 'demo/app:1');
    const tarPath = path.join(dir, 'app.tar');
    await store.exportArchive('demo/app:1', tarPath);
    const first = await fsp.readFile(tarPath);
    await store.exportArchive('demo/app:1', tarPath);
    expect((await fsp.readFile(tarPath)).equals(first)).toBe(true); // deterministic archive

    const other = await openStore(path.join(dir, 'other'));
    const [ref] = await other.importArchive(tarPath);
    expect(ref?.digest).toBe(digest);
    expect(ref?.name).toBe('demo/app:1');
    await other.verifyBlob(ref!.layers[0]!.digest);
  });

  async function writeTar(file: string, entries: { name: string; data?: Buffer; type?: 'file' | 'symlink' | 'directory'; linkname?: string }[]) {
    const pack = tar.pack();
    const out = fs.createWriteStream(file);
    pack.pipe(out);
    for (const e of entries) pack.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname }, e.data ?? Buffer.alloc(0));
    pack.finalize();
    await new Promise<void>((r) => out.on('close', () => r()));
  }

  async function exportedEntries(): Promise<{ name: string; data: Buffer }[]> {
    await makeImage(store, 'demo/app');
    const tarPath = path.join(dir, 'ok.tar');
    await store.exportArchive('demo/app', tarPath);
    const entries: { name: string; data: Buffer }[] = [];
    const ex = tar.extract();
    fs.createReadStream(tarPath).pipe(ex);
    for await (const e of ex) {
      const chunks: Buffer[] = [];
      for await (const c of e) chunks.push(c as Buffer);
      if (e.header.type === 'file') entries.push({ name: e.header.name, data: Buffer.concat(chunks) });
    }
    return entries;
  }

  it('rejects a corrupted blob and imports nothing', async () => {
    const entries = await exportedEntries();
    const layer = entries.find((e) => e.data.toString() === 'layer')!;
    layer.data = Buffer.from('LAYER');
    const bad = path.join(dir, 'bad.tar');
    await writeTar(bad, entries);
    const fresh = await openStore(path.join(dir, 'fresh'));
    await expect(fresh.importArchive(bad)).rejects.toMatchObject({ code: 'STORE_ARCHIVE_INVALID' });
    expect(await fresh.list()).toEqual([]);
    expect(await fresh.blobs.list()).toEqual([]);
  });

  it('rejects a missing layer, hostile names and symlinks, importing nothing', async () => {
    const entries = await exportedEntries();
    const cases: { name: string; data?: Buffer; type?: 'file' | 'symlink' | 'directory'; linkname?: string }[][] = [
      entries.filter((e) => e.data.toString() !== 'layer'),
      [...entries, { name: '../escape', data: Buffer.from('x') }],
      [...entries, { name: '/etc/evil', data: Buffer.from('x') }],
      [{ name: 'blobs/sha256/' + 'a'.repeat(64), type: 'symlink', linkname: '/etc/passwd' }, ...entries],
      entries.filter((e) => e.name !== 'oci-layout'),
    ];
    for (const [i, c] of cases.entries()) {
      const file = path.join(dir, `case${i}.tar`);
      await writeTar(file, c);
      const fresh = await openStore(path.join(dir, `fresh${i}`));
      await expect(fresh.importArchive(file), `case ${i}`).rejects.toMatchObject({ code: 'STORE_ARCHIVE_INVALID' });
      expect(await fresh.list()).toEqual([]);
      expect(await fresh.blobs.list()).toEqual([]);
    }
    expect(fs.existsSync(path.join(dir, 'escape'))).toBe(false);
  });
});
