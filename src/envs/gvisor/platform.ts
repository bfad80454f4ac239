import { promises as fs } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { RUNSC_PLATFORMS, runscArgs, type RunscPlatform } from './runsc-args.js';

export interface PlatformProbe {
  platform: RunscPlatform | undefined;
  /** One line per platform tried: why it was not taken. */
  tried: string[];
}

function runFor(argv: string[], timeoutMs: number): Promise<{ code: number | null; out: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out: `${stdout}${stderr}`, timedOut: !!e?.killed });
    });
    child.stdin?.end();
  });
}

/**
 * Like the VM's KVM probe: a platform counts only when a sandbox on it really
 * runs a program to completion. KVM inside a PVM or nested guest can hang,
 * so each try has a deadline and its leftovers are deleted by id.
 */
export async function probeRunscPlatform(bin: string, scratch: string, bundle: string, timeoutMs = 15_000): Promise<PlatformProbe> {
  const tried: string[] = [];
  const root = path.join(scratch, 'probe-root');
  await fs.mkdir(root, { recursive: true });
  try {
    for (const platform of RUNSC_PLATFORMS) {
      const id = `platform-probe-${platform}`;
      const r = await runFor(runscArgs({ bin, root, platform, bundle, id, cgroups: false, network: 'none' }), timeoutMs);
      await runFor([bin, '--root', root, 'delete', '-force', id], 10_000);
      if (r.code === 0 && r.out.includes('isobench-platform-ok')) return { platform, tried };
      const last = r.out.trim().split('\n').filter(Boolean).pop() ?? '';
      tried.push(`${platform}: ${r.timedOut ? `no result within ${timeoutMs / 1000} s` : `exit ${r.code}${last ? `: ${last.replace(/^.*\] /, '').slice(0, 160)}` : ''}`}`);
    }
    return { platform: undefined, tried };
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
