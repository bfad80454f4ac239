import { open, readdir, lstat, readlink, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/**
 * A writer for the "newc" cpio format (070701), the only one the kernel's
 * initramfs unpacker reads. Written here rather than shelling out to cpio(1)
 * so device nodes (/dev/console) can be added without root and the archive is
 * byte-for-byte reproducible for one input tree (sorted names, inode numbers
 * assigned in order).
 */
export type CpioEntry =
  | { kind: 'dir'; name: string; mode: number; uid?: number; gid?: number; mtime?: number }
  | { kind: 'file'; name: string; mode: number; uid?: number; gid?: number; mtime?: number; source: string; size: number; linkKey?: string }
  | { kind: 'data'; name: string; mode: number; data: Buffer; mtime?: number }
  | { kind: 'symlink'; name: string; target: string; mtime?: number }
  | { kind: 'chardev'; name: string; mode: number; major: number; minor: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function pad4(len: number): Buffer {
  return Buffer.alloc((4 - (len % 4)) % 4);
}

interface HeaderFields {
  ino: number; mode: number; uid: number; gid: number; nlink: number; mtime: number;
  size: number; rdevMajor: number; rdevMinor: number; name: string;
}

export function cpioHeader(f: HeaderFields): Buffer {
  const name = Buffer.from(`${f.name}\0`, 'utf8');
  const fields = [f.ino, f.mode, f.uid, f.gid, f.nlink, f.mtime, f.size, 0, 0, f.rdevMajor, f.rdevMinor, name.length, 0];
  const head = Buffer.from(`070701${fields.map(hex8).join('')}`, 'ascii');
  // The name is padded so that header + name ends on a 4-byte boundary.
  return Buffer.concat([head, name, pad4(head.length + name.length)]);
}

/** Sink that also hashes and counts what it writes. */
export class CpioWriter {
  private ino = 1;
  private offset = 0;
  private readonly hash = crypto.createHash('sha256');
  /** linkKey -> cpio inode and names written so far, for hardlinked files. */
  private readonly links = new Map<string, { ino: number; seen: number }>();

  constructor(private readonly fh: FileHandle, private readonly linkCounts: Map<string, number> = new Map()) {}

  private async put(buf: Buffer): Promise<void> {
    if (buf.length === 0) return;
    this.hash.update(buf);
    await this.fh.write(buf, 0, buf.length, this.offset);
    this.offset += buf.length;
  }

  async add(e: CpioEntry): Promise<void> {
    const name = e.name.replace(/^\/+/, '') || '.';
    const base = { uid: 0, gid: 0, nlink: 1, mtime: e.kind === 'chardev' ? 0 : e.mtime ?? 0, rdevMajor: 0, rdevMinor: 0, name };
    switch (e.kind) {
      case 'dir':
        await this.put(cpioHeader({ ...base, ino: this.ino++, mode: S_IFDIR | (e.mode & 0o7777), uid: e.uid ?? 0, gid: e.gid ?? 0, nlink: 2, size: 0 }));
        return;
      case 'symlink': {
        const data = Buffer.from(e.target, 'utf8');
        await this.put(cpioHeader({ ...base, ino: this.ino++, mode: S_IFLNK | 0o777, size: data.length }));
        await this.put(data);
        await this.put(pad4(data.length));
        return;
      }
      case 'chardev':
        await this.put(cpioHeader({ ...base, ino: this.ino++, mode: S_IFCHR | (e.mode & 0o7777), size: 0, rdevMajor: e.major, rdevMinor: e.minor }));
        return;
      case 'data':
        await this.put(cpioHeader({ ...base, ino: this.ino++, mode: S_IFREG | (e.mode & 0o7777), size: e.data.length }));
        await this.put(e.data);
        await this.put(pad4(e.data.length));
        return;
      case 'file': {
        const nlink = e.linkKey ? this.linkCounts.get(e.linkKey) ?? 1 : 1;
        let ino: number;
        let withData = true;
        if (e.linkKey && nlink > 1) {
          // GNU cpio's convention, which the kernel also reads: every name of
          // a hardlinked file shares one inode number, the data travels with
          // the last name and the earlier ones have size 0.
          const known = this.links.get(e.linkKey) ?? { ino: this.ino++, seen: 0 };
          known.seen++;
          this.links.set(e.linkKey, known);
          ino = known.ino;
          withData = known.seen === nlink;
        } else ino = this.ino++;
        const size = withData ? e.size : 0;
        await this.put(cpioHeader({ ...base, ino, mode: S_IFREG | (e.mode & 0o7777), uid: e.uid ?? 0, gid: e.gid ?? 0, nlink, size }));
        if (withData) {
          let copied = 0;
          for await (const chunk of createReadStream(e.source)) {
            const b = chunk as Buffer;
            copied += b.length;
            await this.put(b);
          }
          if (copied !== size) throw new Error(`${e.source} changed size while archiving (${copied} != ${size})`);
          await this.put(pad4(size));
        }
        return;
      }
    }
  }

  /** Writes the trailer; returns sha256 and size of the archive. */
  async finish(): Promise<{ sha256: string; size: number }> {
    await this.put(cpioHeader({ ino: 0, mode: 0, uid: 0, gid: 0, nlink: 1, mtime: 0, size: 0, rdevMajor: 0, rdevMinor: 0, name: 'TRAILER!!!' }));
    // The kernel reads the archive in 512-byte blocks like cpio(1) writes them.
    await this.put(Buffer.alloc((512 - (this.offset % 512)) % 512));
    return { sha256: this.hash.digest('hex'), size: this.offset };
  }
}

/**
 * Lists a directory tree as cpio entries, parents before children, names
 * sorted (reproducible). Hardlinked regular files share one linkKey.
 */
export async function treeEntries(root: string): Promise<{ entries: CpioEntry[]; linkCounts: Map<string, number> }> {
  const entries: CpioEntry[] = [];
  const linkCounts = new Map<string, number>();
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(path.join(root, rel))).sort();
    for (const n of names) {
      const r = rel ? `${rel}/${n}` : n;
      const abs = path.join(root, r);
      const st = await lstat(abs);
      const mtime = Math.floor(st.mtimeMs / 1000);
      if (st.isDirectory()) {
        entries.push({ kind: 'dir', name: r, mode: st.mode, uid: st.uid, gid: st.gid, mtime });
        await walk(r);
      } else if (st.isSymbolicLink()) {
        entries.push({ kind: 'symlink', name: r, target: await readlink(abs), mtime });
      } else if (st.isFile()) {
        const linkKey = st.nlink > 1 ? `${st.dev}:${st.ino}` : undefined;
        if (linkKey) linkCounts.set(linkKey, (linkCounts.get(linkKey) ?? 0) + 1);
        entries.push({ kind: 'file', name: r, mode: st.mode, uid: st.uid, gid: st.gid, mtime, source: abs, size: st.size, linkKey });
      }
      // Device nodes, fifos and sockets are not part of a workload image (the
      // layer extractor rejects them); the guest gets its own via devtmpfs.
    }
  };
  await walk('');
  return { entries, linkCounts };
}

/** Writes entries into a new archive at dest. */
export async function writeCpio(dest: string, entries: CpioEntry[], linkCounts: Map<string, number>): Promise<{ sha256: string; size: number }> {
  const fh = await open(dest, 'w', 0o644);
  try {
    const w = new CpioWriter(fh, linkCounts);
    for (const e of entries) await w.add(e);
    return await w.finish();
  } finally {
    await fh.close();
  }
}
