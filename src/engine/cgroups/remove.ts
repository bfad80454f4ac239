import type { HostOps } from './host-ops.js';

/**
 * rmdir with a short retry: right after the last task exits the kernel may
 * still report EBUSY for a moment (the task is a zombie being reaped).
 */
export async function rmdirRetry(ops: HostOps, dir: string, attempts = 50): Promise<boolean> {
  for (let i = 0; ; i++) {
    try {
      await ops.rmdir(dir);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return false;
      if (code !== 'EBUSY' || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export function parsePids(text: string): number[] {
  return text.split('\n').filter((l) => l.trim() !== '').map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

/** "key value" lines (memory.events, memory.oom_control) -> number for key, 0 if absent. */
export function keyedValue(text: string, key: string): number {
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k === key && v !== undefined) return Number(v);
  }
  return 0;
}
