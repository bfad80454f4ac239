import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NATIVE_DIR } from '../../src/core/version.js';
import { startSentinels, sentinelLeftovers, shmKeyPresent } from '../../src/probe/sentinels.js';
import { tempHome } from './helpers.js';

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('host sentinels (real process, shm segment, listener, file)', () => {
  it('starts all four and stop() leaves nothing behind', async () => {
    const { home, remove } = tempHome();
    try {
      const dir = path.join(home.runs, 'r', 'isolation');
      const s = await startSentinels({ nativeDir: NATIVE_DIR, dir });
      try {
        expect(readFileSync(`/proc/${s.pid}/cmdline`, 'utf8')).toContain(s.token);
        expect(shmKeyPresent(s.shmKey)).toBe(true);
        expect(readFileSync(s.filePath, 'utf8').trim()).toBe(s.fileToken);
        expect((await sentinelLeftovers(s)).sort()).toEqual([`file ${s.filePath}`, `listener 127.0.0.1:${s.port}`, `process ${s.pid}`, `shm key ${s.shmKey}`].sort());
      } finally {
        await s.stop();
      }
      expect(await sentinelLeftovers(s)).toEqual([]);
      expect(existsSync(dir)).toBe(false);
      await s.stop(); // idempotent
    } finally {
      remove();
    }
  });

  it('removes the shm segment even when the sentinel process was SIGKILLed', async () => {
    const { home, remove } = tempHome();
    try {
      const s = await startSentinels({ nativeDir: NATIVE_DIR, dir: path.join(home.runs, 'r', 'isolation') });
      process.kill(s.pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
      expect(shmKeyPresent(s.shmKey)).toBe(true); // a killed sentinel cannot clean up after itself
      await s.stop();
      expect(await sentinelLeftovers(s)).toEqual([]);
    } finally {
      remove();
    }
  });

  it('does not delete a directory it did not create', async () => {
    const { home, remove } = tempHome();
    try {
      const s = await startSentinels({ nativeDir: NATIVE_DIR, dir: home.root });
      await s.stop();
      expect(existsSync(home.root)).toBe(true);
      expect(await sentinelLeftovers(s)).toEqual([]);
    } finally {
      remove();
    }
  });
});
