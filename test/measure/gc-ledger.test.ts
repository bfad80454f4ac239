import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveHome } from '../../src/core/home.js';
import { processStartTime, OWNER_FILE } from '../../src/core/process-owner.js';
import { readLedger, recordInLedger } from '../../src/core/run-ledger.js';
import { gcRuns } from '../../src/measure/gc-runs.js';
import { gcTemps, tempWriterPid } from '../../src/measure/gc-temps.js';
import { safeRemoveTree } from '../helpers/safe-rm.js';

const dirs: string[] = [];
afterEach(async () => { for (const d of dirs.splice(0)) await safeRemoveTree(d); });

function deadRun(homeRoot: string, id: string): string {
  const dir = path.join(homeRoot, 'runs', id);
  mkdirSync(dir, { recursive: true });
  // A harness that is gone: no process has this pid + start time.
  writeFileSync(path.join(dir, OWNER_FILE), JSON.stringify({ harnessPid: 2 ** 22 + 7, harnessStart: '1', startedAt: new Date().toISOString() }));
  return dir;
}

describe('run ledger + gc', () => {
  it('reads what was appended and skips a line torn by a kill', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isobench-ledger-'));
    dirs.push(dir);
    recordInLedger(dir, { kind: 'volume', name: 'isobench-run-1' });
    recordInLedger(dir, { kind: 'mount', target: '/x', source: 'tmpfs' });
    writeFileSync(path.join(dir, 'ledger.jsonl'), '{"kind":"temp","pa', { flag: 'a' });
    expect(readLedger(dir)).toEqual([{ kind: 'volume', name: 'isobench-run-1' }, { kind: 'mount', target: '/x', source: 'tmpfs' }]);
  });

  it('gc kills a dead run\'s recorded helper only while its pid still has the recorded start time', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'isobench-gcledger-'));
    dirs.push(root);
    const home = resolveHome(root);
    const ours = spawn('sleep', ['60'], { stdio: 'ignore' });
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const run = deadRun(root, 'r1');
      recordInLedger(run, { kind: 'process', pid: ours.pid!, start: processStartTime(ours.pid!)!, argv: ['sleep', '60'] });
      // Same pid, another start time: what a reused pid looks like. Must survive.
      recordInLedger(run, { kind: 'process', pid: other.pid!, start: '1', argv: ['sleep', '60'] });
      const gone = new Promise((r) => ours.once('exit', r));
      const report = await gcRuns(home);
      await gone;
      expect(report.killed).toEqual([`${ours.pid} sleep 60`]);
      expect(ours.signalCode).toBe('SIGKILL');
      expect(processStartTime(other.pid!)).toBeDefined();
      expect(report.removed).toEqual([run]);
    } finally {
      ours.kill('SIGKILL');
      other.kill('SIGKILL');
    }
  });

  it('sweeps isobench-run-* volumes no live run recorded, and a dead run\'s recorded temp file', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'isobench-gcvol-'));
    dirs.push(root);
    const home = resolveHome(root);
    for (const v of ['isobench-run-aaaa', 'keep-me']) mkdirSync(path.join(home.volumes, v, '_data'), { recursive: true });
    const out = path.join(root, 'out');
    mkdirSync(out);
    const tmp = path.join(out, 'results.json.tmp-4242');
    writeFileSync(tmp, '{"half');
    const run = deadRun(root, 'r2');
    recordInLedger(run, { kind: 'temp', path: tmp });
    const r = await gcRuns(home);
    expect(r.volumes).toEqual(['isobench-run-aaaa']);
    expect(existsSync(path.join(home.volumes, 'keep-me'))).toBe(true);
    expect(r.temps).toEqual([tmp]);
    expect(existsSync(tmp)).toBe(false);
  });

  it('names temp files by their writer pid and removes those of dead writers only', async () => {
    expect(tempWriterPid('abc.elf.1234.tmp')).toBe(1234);
    expect(tempWriterPid('index.json.77.1700000000000.tmp')).toBe(77);
    expect(tempWriterPid('results.json.tmp-99')).toBe(99);
    expect(tempWriterPid('.tmp-0123456789abcdef-55-deadbeef')).toBe(55);
    expect(tempWriterPid('results.json')).toBeUndefined();
    expect(tempWriterPid('notes.tmp')).toBeUndefined();
    expect(tempWriterPid('4242-0123456789abcdef', '/h/store/ingest')).toBe(4242);
    expect(tempWriterPid('4242-0123456789abcdef', '/h/volumes')).toBeUndefined();
    const root = mkdtempSync(path.join(os.tmpdir(), 'isobench-gctemps-'));
    dirs.push(root);
    const home = resolveHome(root);
    const dead = path.join(home.cache, 'vm', 'vmlinux', `k.elf.${2 ** 22 + 9}.tmp`);
    const live = path.join(home.cache, 'vm', 'vmlinux', `k.elf.${process.pid}.tmp`);
    const snap = path.join(home.snapshots, `.tmp-0123456789abcdef-${2 ** 22 + 11}-cafe`);
    mkdirSync(path.dirname(dead), { recursive: true });
    mkdirSync(path.join(snap, 'usr'), { recursive: true });
    writeFileSync(dead, 'x');
    writeFileSync(live, 'x');
    expect((await gcTemps(home)).sort()).toEqual([dead, snap].sort());
    expect(existsSync(live)).toBe(true);
  });
});
