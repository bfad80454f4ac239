import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { NATIVE_DIR } from '../../src/core/version.js';
import { ContainerEnvironment } from '../../src/envs/container/index.js';
import { collectHostFacts } from '../../src/probe/host-facts.js';
import { probePeerSeparation } from '../../src/probe/peer-separation.js';
import { shmKeyPresent } from '../../src/probe/sentinels.js';
import { tempHome, envContext, probeOnlyImage, unpackProbeOnly } from './helpers.js';

const isRoot = process.getuid?.() === 0;
const built = existsSync(path.join(NATIVE_DIR, 'isobench-nsexec')) && existsSync(path.join(NATIVE_DIR, 'isobench-probe'));

/** Is any live process's cmdline holding this token? (A's sentinel would.) */
function processWithToken(token: string): boolean {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(token)) return true;
    } catch { /* gone */ }
  }
  return false;
}

describe.skipIf(!isRoot || !built)('probePeerSeparation: container B probes container A (both of our engine)', () => {
  it('B sees neither A\'s process nor its shm segment, and nothing of A is left afterwards', async () => {
    const { home, remove } = tempHome();
    const lower = path.join(home.root, 'lower');
    mkdirSync(lower, { recursive: true });
    await unpackProbeOnly(probeOnlyImage, lower);
    const env = new ContainerEnvironment(envContext(home, 'peer1'), { snapshots: async () => [lower] });
    try {
      const prepared = await env.prepare(probeOnlyImage);
      const before = existsSync(home.containers) ? readdirSync(home.containers) : [];
      const r = await probePeerSeparation({ home, nativeDir: NATIVE_DIR, env, prepared, host: await collectHostFacts(NATIVE_DIR) });
      expect(r.status, r.reason).toBe('ok');
      expect(r).toMatchObject({ separated: true, peerPidVisible: false, peerShm: 'ENOENT' });
      expect(r.peerPid).toBeGreaterThan(1);
      expect(r.evidence).toContain(`host pid ${r.peerPid}`);
      // A really held its segment (shmget returned an id inside A) and ran as PID 1 of its own namespace.
      expect(r.evidence).toMatch(/sentinel ready as pid 1 with shmid \d+/);
      console.log(`evidence: ${r.evidence}`);
      // Nothing of A is left: no process holding its token, no key on the host, no container dir.
      expect(() => process.kill(r.peerPid!, 0)).toThrow();
      expect(processWithToken('isobench-peer-')).toBe(false);
      expect(shmKeyPresent(r.peerShmKey!)).toBe(false);
      expect(readFileSync('/proc/sysvipc/shm', 'utf8')).not.toMatch(new RegExp(`\\b${r.peerShmKey}\\b`));
      const after = readdirSync(home.containers).filter((d) => !before.includes(d));
      expect(after).toEqual([]);
      expect(readdirSync(home.containers).some((d) => d.startsWith('peer-'))).toBe(false);
    } finally {
      await env.cleanup();
      remove();
    }
  }, 60_000);
});
