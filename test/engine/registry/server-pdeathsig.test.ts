import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../../src/core/version.js';
import { registryAvailable } from '../../../src/engine/registry/index.js';

/**
 * The registry phase starts docker-registry; if the harness is SIGKILLed the
 * server must not stay behind listening (it dies with its parent).
 */
const avail = registryAvailable();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!avail.ok)('local docker-registry and a SIGKILLed parent', () => {
  it('the server exits when the process that started it is killed', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'isobench-regkill-'));
    try {
      const script = `
        import { startRegistry } from ${JSON.stringify(path.join(REPO_ROOT, 'src/engine/registry/index.ts'))};
        const s = await startRegistry({ parentDir: ${JSON.stringify(tmp)} });
        process.stdout.write(String(s.pid) + '\\n');
        setInterval(() => {}, 1000);
      `;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      const pid = await new Promise<number>((resolve, reject) => {
        let buf = '';
        child.stdout!.on('data', (b: Buffer) => { buf += b.toString(); const m = /^(\d+)\n/.exec(buf); if (m) resolve(Number(m[1])); });
        child.once('exit', (c) => reject(new Error(`helper exited ${c} before the registry started`)));
      });
      expect(alive(pid)).toBe(true);
      expect(readdirSync(tmp).some((n) => n.startsWith('isobench-registry-'))).toBe(true);
      child.kill('SIGKILL');
      const end = Date.now() + 5000;
      while (alive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      // A zombie would still answer kill(0); the registry's parent (our helper) is gone, so init reaps it.
      expect(alive(pid) && existsSync(`/proc/${pid}`) && !/State:\s+Z/.test(await import('node:fs').then((f) => f.readFileSync(`/proc/${pid}/status`, 'utf8')))).toBe(false);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
