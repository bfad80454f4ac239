import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { LayerError } from './errors.js';
import { entryComponents, isContained, ParentWalker, symlinkEscapes } from './entry-path.js';
import { applyMarks, type MarkOp } from './ovl-marks.js';

const WH_PREFIX = '.wh.';
const WH_OPAQUE = '.wh..wh..opq';

export interface ExtractOptions {
  /**
   * 'overlay' (snapshots): `.wh.x` becomes an overlayfs whiteout (char 0:0),
   * `.wh..wh..opq` sets trusted.overlay.opaque=y on its directory.
   * 'apply' (one flattened tree, e.g. the chroot): whiteouts delete what lower
   * layers put there. Default 'overlay'.
   */
  whiteouts?: 'overlay' | 'apply';
  /** sha256:<hex> the uncompressed tar must hash to (the config's diff_id). */
  expectDiffId?: string;
  /** Where isobench-ovlmark lives (default NATIVE_DIR). */
  nativeDir?: string;
}

export interface ExtractStats {
  entries: number;
  bytes: number;
  whiteouts: number;
  opaques: number;
  /** sha256 of the uncompressed tar. */
  diffId: string;
}

/**
 * Extracts one tar or tar+gzip layer (gzip detected by magic bytes) into
 * `dest`, which must exist. Nothing is ever written outside `dest`:
 * names are checked lexically (no absolute, no ".."), every parent component
 * is lstat'ed and a symlink there is refused, files are created with
 * O_EXCL|O_NOFOLLOW after removing what was there, hardlinks must point at an
 * existing non-directory inside `dest` that is not an escaping symlink, and
 * device nodes are refused. FIFOs are allowed (they carry no data path out of
 * the tree and some images ship them). PAX xattrs (e.g. file capabilities)
 * are not restored: the workload image needs none, and dropping them can only
 * reduce privilege. Modes (incl. setuid), uid/gid and mtimes are preserved.
 * On error `dest` is left half-written: callers extract into a temp dir.
 */
export async function extractLayer(source: Readable, dest: string, opts: ExtractOptions = {}): Promise<ExtractStats> {
  const mode = opts.whiteouts ?? 'overlay';
  const root = path.resolve(dest);
  const walker = new ParentWalker(root);
  const isRoot = process.getuid?.() === 0;
  const dirMeta = new Map<string, { mode: number; uid: number; gid: number; mtime: Date }>();
  const created = new Set<string>();
  const marks: { rel: string; op: 'w' | 'o' }[] = [];
  const stats: ExtractStats = { entries: 0, bytes: 0, whiteouts: 0, opaques: 0, diffId: '' };

  const hash = crypto.createHash('sha256');
  const { stream: plain, gzip } = await sniffGzip(source);
  const extract = tar.extract();
  const feeding = pipeline(
    gzip ? plain.pipe(zlib.createGunzip()) : plain,
    new Transform({ transform(c: Buffer, _e, cb: TransformCallback) { hash.update(c); cb(null, c); } }),
    extract,
  );
  feeding.catch((e: unknown) => extract.destroy(e as Error));

  const setOwner = async (full: string, uid: number, gid: number, link: boolean) => {
    if (!isRoot) return; // unprivileged test runs keep their own uid
    await (link ? fsp.lchown(full, uid, gid) : fsp.chown(full, uid, gid));
  };

  /** Removes whatever is at `rel` (never following a symlink) unless it is a dir we keep. */
  const clear = async (rel: string, full: string, keepDir: boolean): Promise<'dir' | 'none'> => {
    let st;
    try { st = await fsp.lstat(full); } catch { return 'none'; }
    if (keepDir && st.isDirectory()) return 'dir';
    await fsp.rm(full, { recursive: true, force: true });
    walker.forget(rel);
    return 'none';
  };

  try {
    for await (const entry of extract) {
      const h = entry.header;
      const raw = h.name;
      stats.entries += 1;
      try {
        const parts = entryComponents(raw);
        const rel = parts.join('/');
        const base = parts[parts.length - 1] ?? '';
        const uid = h.uid ?? 0;
        const gid = h.gid ?? 0;
        const perm = (h.mode ?? 0o644) & 0o7777;
        const mtime = h.mtime ?? new Date(0);

        // ---- whiteouts --------------------------------------------------
        if (base.startsWith(WH_PREFIX)) {
          const parentParts = parts.slice(0, -1);
          const parentRel = parentParts.join('/');
          if (base === WH_OPAQUE) {
            const parent = await walker.ensure(parentParts, raw, true);
            stats.opaques += 1;
            if (mode === 'overlay') marks.push({ rel: parentRel, op: 'o' });
            else {
              // Opaque hides the lower layers' children only, not this layer's.
              for (const child of await fsp.readdir(parent)) {
                const childRel = parentRel === '' ? child : `${parentRel}/${child}`;
                if (!created.has(childRel)) await clear(childRel, path.join(parent, child), false);
              }
            }
          } else if (base.startsWith(`${WH_PREFIX}${WH_PREFIX}`)) {
            // Other ".wh..wh." names are AUFS bookkeeping (plnk, aufs): not content. containerd skips them too.
          } else {
            const victim = base.slice(WH_PREFIX.length);
            if (victim === '' || victim === '.' || victim === '..') {
              throw new LayerError('LAYER_UNSAFE_ENTRY', `whiteout of ${JSON.stringify(victim)} would delete outside its directory`, { entry: raw });
            }
            const parent = await walker.ensure(parentParts, raw, true);
            const victimRel = parentRel === '' ? victim : `${parentRel}/${victim}`;
            stats.whiteouts += 1;
            if (mode === 'overlay') marks.push({ rel: victimRel, op: 'w' });
            else if (!created.has(victimRel)) await clear(victimRel, path.join(parent, victim), false);
          }
          entry.resume();
          continue;
        }

        if (parts.length === 0) {
          // The layer's root entry ("./"): its metadata applies to dest itself.
          if (h.type === 'directory') dirMeta.set('', { mode: perm, uid, gid, mtime });
          entry.resume();
          continue;
        }

        const full = await walker.ensure(parts.slice(0, -1), raw, true);
        const target = path.join(full, base);
        switch (h.type) {
          case 'directory': {
            if ((await clear(rel, target, true)) === 'none') await fsp.mkdir(target, { mode: 0o700 });
            walker.remember(rel);
            dirMeta.set(rel, { mode: perm, uid, gid, mtime });
            entry.resume();
            break;
          }
          case 'file':
          case 'contiguous-file':
          case undefined:
          case null: {
            await clear(rel, target, false);
            const fh = await fsp.open(target, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
            try {
              for await (const chunk of entry) {
                const buf = chunk as Buffer;
                let off = 0;
                while (off < buf.length) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
                stats.bytes += buf.length;
              }
              if (isRoot) await fh.chown(uid, gid);
              await fh.chmod(perm); // after chown, which clears setuid bits
              await fh.utimes(mtime, mtime);
            } finally {
              await fh.close();
            }
            break;
          }
          case 'symlink': {
            const linkTarget = h.linkname ?? '';
            if (linkTarget === '' || linkTarget.includes('\0')) throw new LayerError('LAYER_BAD_ENTRY', 'symlink without a target', { entry: raw });
            await clear(rel, target, false);
            // Stored as-is: it only matters inside the container's root, and
            // nothing is ever written through it here (ParentWalker refuses).
            await fsp.symlink(linkTarget, target);
            await setOwner(target, uid, gid, true);
            await fsp.lutimes(target, mtime, mtime);
            entry.resume();
            break;
          }
          case 'link': {
            const srcParts = entryComponents(h.linkname ?? '', 'hardlink target', raw);
            if (srcParts.length === 0) throw new LayerError('LAYER_UNSAFE_ENTRY', 'hardlink to the snapshot root', { entry: raw });
            const srcFull = await walker.ensure(srcParts.slice(0, -1), raw, false).then((p) => path.join(p, srcParts[srcParts.length - 1]!));
            let st;
            try { st = await fsp.lstat(srcFull); } catch {
              throw new LayerError('LAYER_BAD_ENTRY', `hardlink target ${h.linkname} is not in the layer`, { entry: raw });
            }
            if (st.isDirectory()) throw new LayerError('LAYER_BAD_ENTRY', `hardlink to directory ${h.linkname}`, { entry: raw });
            if (st.isSymbolicLink() && symlinkEscapes(srcParts.join('/'), await fsp.readlink(srcFull))) {
              throw new LayerError('LAYER_UNSAFE_ENTRY', `hardlink to ${h.linkname}, a symlink pointing outside the snapshot`, { entry: raw });
            }
            if (srcParts.join('/') !== rel) {
              await clear(rel, target, false);
              await fsp.link(srcFull, target); // link(2) does not follow a symlink source
            }
            entry.resume();
            break;
          }
          case 'fifo': {
            await clear(rel, target, false);
            await applyMarks([{ op: 'p', path: target, mode: perm }], opts.nativeDir);
            await setOwner(target, uid, gid, true);
            await fsp.chmod(target, perm);
            await fsp.utimes(target, mtime, mtime);
            entry.resume();
            break;
          }
          case 'character-device':
          case 'block-device':
            throw new LayerError('LAYER_UNSAFE_ENTRY', `${h.type} ${h.devmajor ?? '?'}:${h.devminor ?? '?'} refused: an image must not bring host devices (the runtime provides /dev)`, { entry: raw });
          default:
            throw new LayerError('LAYER_UNSUPPORTED_ENTRY', `entry type ${String(h.type)} is not supported`, { entry: raw });
        }
        created.add(rel);
      } catch (err) {
        entry.resume();
        throw err;
      }
    }
    await feeding;
  } catch (err) {
    extract.destroy();
    await feeding.catch(() => undefined);
    if (err instanceof LayerError) throw err;
    throw new LayerError('LAYER_CORRUPT', `cannot read the layer: ${(err as Error).message}`, { cause: err });
  }

  // Whiteouts that the same layer re-created are not whiteouts any more (OCI:
  // they hide lower layers only); a re-created directory must hide the lower one's content.
  const ops: MarkOp[] = [];
  for (const m of marks) {
    const full = path.join(root, m.rel);
    // The parent must still be a real directory inside the root (a later entry may have swapped it for a symlink).
    const parentRel = path.posix.dirname(m.rel) === '.' ? '' : path.posix.dirname(m.rel);
    if (!(await isContained(root, parentRel))) {
      throw new LayerError('LAYER_UNSAFE_ENTRY', `a whiteout's directory ${parentRel} was replaced by a non-directory later in the layer`, { entry: m.rel });
    }
    const st = await fsp.lstat(full).catch(() => undefined);
    if (m.op === 'w') {
      if (!st) ops.push({ op: 'w', path: full });
      else if (st.isDirectory()) ops.push({ op: 'o', path: full });
    } else if (st?.isDirectory()) ops.push({ op: 'o', path: full });
  }
  await applyMarks(ops, opts.nativeDir);

  // Directory metadata last, deepest first: creating children changes mtimes.
  for (const rel of [...dirMeta.keys()].sort((a, b) => b.split('/').length - a.split('/').length)) {
    const m = dirMeta.get(rel)!;
    const full = path.join(root, rel);
    // chmod/utimes follow symlinks: only touch what is still a real directory reached without one.
    if (!(await isContained(root, rel)) || !(await fsp.lstat(full)).isDirectory()) continue;
    await setOwner(full, m.uid, m.gid, false);
    await fsp.chmod(full, m.mode);
    await fsp.utimes(full, m.mtime, m.mtime);
  }

  stats.diffId = `sha256:${hash.digest('hex')}`;
  if (opts.expectDiffId !== undefined && stats.diffId !== opts.expectDiffId) {
    throw new LayerError('LAYER_DIFFID_MISMATCH', `uncompressed layer hashes to ${stats.diffId}, the image config says ${opts.expectDiffId}`, {
      hint: 'the image is corrupt; remove it and build, import or pull it again',
    });
  }
  return stats;
}

/** Peeks at the first bytes to tell gzip from plain tar without trusting the media type. */
async function sniffGzip(source: Readable): Promise<{ stream: Readable; gzip: boolean }> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  const head = first.done ? Buffer.alloc(0) : Buffer.from(first.value as Uint8Array);
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const stream = Readable.from((async function* () {
    if (!first.done) yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value as Buffer;
    }
  })(), { objectMode: false });
  return { stream, gzip };
}
