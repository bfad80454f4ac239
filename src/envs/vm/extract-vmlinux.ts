import { spawn } from 'node:child_process';
import { inflateRawSync } from 'node:zlib';
import { HostRequirementError } from '../../core/errors.js';

/**
 * Pulls the uncompressed vmlinux ELF out of a bzImage, the way the kernel's
 * scripts/extract-vmlinux does: look for each compressor's magic in the
 * image, try to decompress from there, keep the first result that is an ELF.
 * QEMU boots that ELF through its PVH note, so an emulated guest skips the
 * in-guest decompressor (seconds under TCG).
 */
interface Codec { name: string; magic: Buffer; decompress: (data: Buffer) => Promise<Buffer> }

function viaCommand(cmd: string, args: string[]): (data: Buffer) => Promise<Buffer> {
  return (data) => new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', (e) => reject(new HostRequirementError('VM_NO_DECOMPRESSOR', `cannot run ${cmd} to unpack the guest kernel: ${e.message}`, { hint: 'apt-get install xz-utils zstd' })));
    // The payload is followed by other data; the decompressor stops at the
    // end of its stream and may complain about the rest, so its exit code is
    // ignored and the ELF check below decides.
    child.on('close', () => resolve(Buffer.concat(out)));
    child.stdin.on('error', () => { /* decompressor exited before reading everything */ });
    child.stdin.end(data);
  });
}

const CODECS: Codec[] = [
  { name: 'xz', magic: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), decompress: viaCommand('xz', ['-dc', '--single-stream']) },
  { name: 'zstd', magic: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), decompress: viaCommand('zstd', ['-dc', '-q']) },
  {
    name: 'gzip', magic: Buffer.from([0x1f, 0x8b, 0x08]),
    decompress: async (d) => { try { return inflateRawSync(d.subarray(gzipHeaderLength(d))); } catch { return Buffer.alloc(0); } },
  },
  { name: 'lz4', magic: Buffer.from([0x02, 0x21, 0x4c, 0x18]), decompress: viaCommand('lz4', ['-dc']) },
];

/**
 * Length of a gzip member header (RFC 1952). The deflate stream after it is
 * inflated raw: gunzip would insist that the bytes after the member are
 * another member, and in a bzImage they are not.
 */
function gzipHeaderLength(d: Buffer): number {
  const flags = d[3] ?? 0;
  let at = 10;
  if (flags & 4) at += 2 + d.readUInt16LE(at); // FEXTRA
  if (flags & 8) at = d.indexOf(0, at) + 1; // FNAME
  if (flags & 16) at = d.indexOf(0, at) + 1; // FCOMMENT
  if (flags & 2) at += 2; // FHCRC
  return at;
}

export function isElf(buf: Buffer): boolean {
  return buf.length >= 64 && buf.readUInt32BE(0) === 0x7f454c46;
}

/** Offsets of every occurrence of magic in buf (bounded: a kernel has a handful). */
function offsetsOf(buf: Buffer, magic: Buffer, limit = 8): number[] {
  const out: number[] = [];
  let at = buf.indexOf(magic);
  while (at >= 0 && out.length < limit) { out.push(at); at = buf.indexOf(magic, at + 1); }
  return out;
}

export interface ExtractedKernel { elf: Buffer; codec: string; offset: number }

export async function extractVmlinux(bzImage: Buffer): Promise<ExtractedKernel> {
  if (isElf(bzImage)) return { elf: bzImage, codec: 'none', offset: 0 };
  const candidates = CODECS.flatMap((c) => offsetsOf(bzImage, c.magic).map((offset) => ({ c, offset }))).sort((a, b) => a.offset - b.offset);
  for (const { c, offset } of candidates) {
    const out = await c.decompress(bzImage.subarray(offset));
    if (isElf(out)) return { elf: out, codec: c.name, offset };
  }
  throw new HostRequirementError('VM_KERNEL_NOT_EXTRACTABLE', `no compressed ELF kernel found in the bzImage (tried ${candidates.length} candidate offsets for ${CODECS.map((c) => c.name).join('/')})`, { hint: 'pass an uncompressed vmlinux or a standard bzImage with --kernel' });
}

/** "6.1.0-56-amd64" from a bzImage setup header (kernel_version at 0x20E), or from "Linux version X" in an ELF. */
export function kernelVersionOf(image: Buffer): string | undefined {
  if (image.length > 0x210 && image.toString('ascii', 0x202, 0x206) === 'HdrS') {
    const ptr = image.readUInt16LE(0x20e);
    if (ptr > 0) {
      const at = ptr + 0x200;
      const end = image.indexOf(0, at);
      const s = image.toString('ascii', at, end > at ? Math.min(end, at + 200) : at + 64);
      const v = s.split(' ')[0];
      if (v) return v;
    }
  }
  const marker = image.indexOf('Linux version ');
  if (marker >= 0) {
    const s = image.toString('ascii', marker + 14, marker + 100).split(' ')[0];
    if (s && /^\d+\.\d+/.test(s)) return s;
  }
  return undefined;
}
