import crypto from 'node:crypto';
import { VmEnvironment, vmPortabilityEvidence, type VmPrepared } from '../../envs/vm/index.js';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { resolveHome } from '../../core/home.js';
import { describeError } from '../../core/errors.js';
import { openStore } from '../../engine/store/index.js';
import { unpackImage } from '../../image/unpack.js';
import { IMAGE_PATHS, type ImageRef } from '../../image/types.js';
import type { OciArchiveFacts, PortabilityEvidence } from '../../results/types.js';
import type { RunPhase } from './types.js';

const CHROOT = '/usr/sbin/chroot';

interface Exec { code: number | null; stdout: string; stderr: string }

/** Runs a command we started ourselves; killed (by its pid, via the handle) on timeout. */
function run(argv: string[], timeoutMs = 30_000, stdoutHash?: crypto.Hash): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const p = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.stdout.on('data', (c: Buffer) => { if (stdoutHash) stdoutHash.update(c); else stdout += c.toString(); });
    p.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

async function tarDigest(dir: string, normalized: boolean): Promise<string> {
  const h = crypto.createHash('sha256');
  const flags = normalized ? ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--format=gnu'] : [];
  const r = await run(['tar', ...flags, '-C', dir, '-cf', '-', '.'], 60_000, h);
  if (r.code !== 0) throw new Error(`tar -C ${dir} failed: ${r.stderr.trim()}`);
  return `sha256:${h.digest('hex')}`;
}

async function sha256File(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  const fh = await fsp.open(file);
  try { for await (const c of fh.createReadStream()) h.update(c as Buffer); } finally { await fh.close(); }
  return `sha256:${h.digest('hex')}`;
}

/** chroot into `root` and run argv; ok when the probe printed the token and exited 0. */
async function runProbe(root: string, argv: string[], token: string): Promise<{ ok: boolean; detail: string }> {
  const r = await run([CHROOT, root, ...argv]);
  const ok = r.code === 0 && r.stdout.includes(token);
  return { ok, detail: ok ? `\`chroot <tree> ${argv.join(' ')}\` printed the token` : `\`chroot <tree> ${argv.join(' ')}\` exited ${r.code}: ${(r.stderr || r.stdout).trim().slice(0, 200)}` };
}

const ms = (t0: number) => Math.round(performance.now() - t0);

/**
 * Portability, measured: the container image goes through an OCI archive
 * into a fresh store (a second, temporary home) and must keep its manifest
 * digest and run from there; the chroot tree is moved the only way it can
 * be — as a plain tar of a directory — and we record what that lacks.
 * Appends to results.facts.portability; numbers in results.facts.ociArchive.
 */
export const portabilityPhase: RunPhase = {
  name: 'portability',
  async run(ctx) {
    const facts = (ctx.results.facts ??= {});
    const list = facts.portability ?? [];
    facts.portability = list;
    const scratch = path.join(ctx.env.home.runs, ctx.env.runId, 'portability');
    const token = `ISOBENCH-PORT-${crypto.randomBytes(6).toString('hex')}`;
    const fact: OciArchiveFacts = { status: 'ok' };
    facts.ociArchive = fact;
    try {
      await fsp.rm(scratch, { recursive: true, force: true });
      await fsp.mkdir(scratch, { recursive: true });
      ctx.progress('portability: OCI archive export → import into a fresh store → run');
      const moved = await containerRoundTrip(ctx.image, scratch, token, fact, list);
      ctx.progress('portability: chroot tree as a plain tar (no format)');
      await chrootMove(ctx.image, moved, scratch, token, fact, list);
      const vm = ctx.environments.find((e): e is VmEnvironment => e instanceof VmEnvironment);
      const vmPrepared = vm ? ctx.prepared.get(vm.name) : undefined;
      if (vm && vmPrepared) {
        ctx.progress('portability: VM kernel + initramfs copied to a new place and booted');
        list.push(await vmPortabilityEvidence(vm, vmPrepared as VmPrepared, scratch));
      }
      const bad = list.filter((p) => p.method === 'oci-archive export/import' && (!p.identical || !p.ranAfter));
      if (bad.length) ctx.results.warnings.push(`portability: ${bad.map((p) => p.detail).join('; ')}`);
    } catch (err) {
      fact.status = 'failed';
      fact.error = describeError(err);
      ctx.results.warnings.push(`portability: ${describeError(err).message}`);
    } finally {
      await fsp.rm(scratch, { recursive: true, force: true });
    }
  },
};

/** Returns the unpacked tree of the re-imported image (reused by the chroot part). */
async function containerRoundTrip(image: ImageRef, scratch: string, token: string, fact: OciArchiveFacts, list: PortabilityEvidence[]): Promise<string> {
  const store = await openStore(image.storeRoot);
  const archive = path.join(scratch, 'image.oci.tar');
  let t0 = performance.now();
  await store.exportArchive(image.name, archive);
  fact.exportMs = ms(t0);
  fact.archiveBytes = (await fsp.stat(archive)).size;
  fact.archiveSha256 = await sha256File(archive);

  // The "other host": a second home with an empty store, nothing shared with ours.
  const other = resolveHome(path.join(scratch, 'other-home'));
  t0 = performance.now();
  const imported = await (await openStore(other.store)).importArchive(archive);
  fact.importMs = ms(t0);
  const ref = imported.find((r) => r.name === image.name) ?? imported[0];
  if (!ref) throw new Error('the archive imported no image');
  const identical = ref.digest === image.digest;

  const root = path.join(scratch, 'imported-rootfs');
  await unpackImage(other, ref, root);
  // What to run comes from the imported image's own config: the entrypoint travels with it.
  const argv = [...ref.config.entrypoint, 'ready', token];
  const ran = await runProbe(root, argv, token);
  list.push({
    env: 'container',
    method: 'oci-archive export/import',
    digestBefore: image.digest,
    digestAfter: ref.digest,
    identical,
    ranAfter: ran.ok,
    detail: `exported ${image.name} as an OCI archive (${fact.archiveBytes} bytes, ${fact.exportMs} ms), imported into a fresh store in another home (${fact.importMs} ms, every blob verified): manifest digest ${identical ? 'identical' : 'CHANGED'}; unpacked it and ran its entrypoint ${JSON.stringify(ref.config.entrypoint)}: ${ran.detail}`,
  });
  return root;
}

async function chrootMove(image: ImageRef, treeA: string, scratch: string, token: string, fact: OciArchiveFacts, list: PortabilityEvidence[]): Promise<void> {
  // A second tree built from the very same image bytes, as a second host would build its chroot.
  const treeB = path.join(scratch, 'chroot-b');
  await unpackImage(resolveHome(scratch), image, treeB);
  const [plainA, plainB, normA, normB] = [await tarDigest(treeA, false), await tarDigest(treeB, false), await tarDigest(treeA, true), await tarDigest(treeB, true)];
  fact.plainTarIdentical = plainA === plainB;
  fact.normalizedTarIdentical = normA === normB;

  // The move itself: tar the directory, untar it elsewhere, run. Which program
  // to run is not recorded anywhere in the tree: we have to supply it.
  const moved = path.join(scratch, 'chroot-moved');
  await fsp.mkdir(moved);
  const tarFile = path.join(scratch, 'chroot.tar');
  const c = await run(['tar', '-C', treeA, '-cf', tarFile, '.'], 60_000);
  const x = c.code === 0 ? await run(['tar', '-C', moved, '-xpf', tarFile], 60_000) : c;
  if (x.code !== 0) throw new Error(`tar of the chroot tree failed: ${x.stderr.trim()}`);
  const ran = await runProbe(moved, [IMAGE_PATHS.probe, 'ready', token], token);
  list.push({
    env: 'chroot',
    method: 'tar of the directory (no image format)',
    digestBefore: plainA,
    digestAfter: plainB,
    identical: plainA === plainB,
    ranAfter: ran.ok,
    detail: `a chroot is a bare directory: no manifest, no config, no entrypoint, no digest to verify a copy by. Two trees unpacked from the same image give ${plainA === plainB ? 'the same' : 'different'} digests as plain \`tar -c\` (${plainA.slice(7, 19)} vs ${plainB.slice(7, 19)}; plain tar records file-system metadata such as when each directory was created, not just content) and ${normA === normB ? 'the same' : 'different'} digests only when normalised (--sort=name --mtime=@0 --owner=0 --group=0). The tarred tree still ran after untar, but the command had to be supplied from outside (${IMAGE_PATHS.probe}): ${ran.detail}`,
  });
}
