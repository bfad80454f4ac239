import { copyFile, mkdir, rm, readFile } from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import type { PortabilityEvidence } from '../../results/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { describeError } from '../../core/errors.js';
import type { VmEnvironment, VmPrepared } from './vm-env.js';

async function sha256File(f: string): Promise<string> {
  return crypto.createHash('sha256').update(await readFile(f)).digest('hex');
}

/**
 * The VM's artifact is two files: the kernel and the initramfs. Moving it to
 * another host is copying them; this copies both into a fresh directory,
 * compares hashes and boots the copies (the probe's ready mode as the
 * workload). For the portability phase (results.facts.portability).
 */
export async function vmPortabilityEvidence(env: VmEnvironment, p: VmPrepared, scratchDir: string, timeoutMs = 60000): Promise<PortabilityEvidence> {
  const dir = path.join(scratchDir, `vm-copy-${process.pid}-${Date.now()}`);
  const initramfs = await env.initramfsOf(p);
  const before = `sha256:${initramfs.sha256}`;
  try {
    await mkdir(dir, { recursive: true });
    const kernel = path.join(dir, 'vmlinux');
    const initrd = path.join(dir, 'initramfs.cpio');
    await copyFile(p.kernel.vmlinux, kernel);
    await copyFile(initramfs.path, initrd);
    const [kAfter, iAfter] = [await sha256File(kernel), await sha256File(initrd)];
    const identical = kAfter === p.kernel.vmlinuxSha256 && iAfter === initramfs.sha256;
    const moved: VmPrepared = { ...p, kernel: { ...p.kernel, vmlinux: kernel }, initramfs: { ...initramfs, path: initrd } };
    const token = `isobench-moved-${crypto.randomBytes(4).toString('hex')}`;
    let ranAfter = false;
    let why = '';
    try {
      const r = await env.start(moved, { argv: [IMAGE_PATHS.probe, 'ready', 'moved-ok'], token, env: {}, timeoutMs, limits: {} });
      const out = await env.wait(r);
      ranAfter = out.exitCode === 0 && out.output.includes('moved-ok');
      why = ranAfter ? `booted in ${Math.round(out.startupMs)} ms (${p.accel.accelerator})` : `exit ${out.exitCode}`;
    } catch (e) {
      why = describeError(e).message;
    }
    return {
      env: 'vm', method: 'kernel + initramfs copy', digestBefore: before, digestAfter: `sha256:${iAfter}`, identical, ranAfter,
      detail: `copied vmlinux (${p.kernel.version}) and the initramfs of image ${p.imageDigest} to a new directory: hashes ${identical ? 'identical' : 'DIFFER'}; the copy ${ranAfter ? 'ran the probe' : 'did not run'}: ${why}`,
    };
  } catch (e) {
    return { env: 'vm', method: 'kernel + initramfs copy', digestBefore: before, ranAfter: false, detail: `copy failed: ${describeError(e).message}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
