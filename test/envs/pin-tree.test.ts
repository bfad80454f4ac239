import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { pinTree, processTree } from '../../src/envs/pin-tree.js';
import { pairCpu } from '../../src/measure/paired.js';

const allowed = (pid: number, tid: string): string | undefined => /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))?.[1];

describe('pinning a process tree to one CPU', () => {
  it('finds a process\'s descendants and pins every thread of each', async () => {
    // sh starts two sleeps: the tree is sh and both.
    const sh = spawn('/bin/sh', ['-c', 'sleep 30 & sleep 30 & wait'], { stdio: 'ignore' });
    let tree: number[] = [];
    try {
      for (let i = 0; i < 100 && tree.length < 3; i++) { await new Promise((r) => setTimeout(r, 20)); tree = processTree(sh.pid!); }
      expect(tree[0]).toBe(sh.pid);
      expect(tree).toHaveLength(3);
      const cpu = pairCpu();
      expect(await pinTree(sh.pid!, cpu)).toBe(true);
      for (const pid of tree) for (const tid of readdirSync(`/proc/${pid}/task`)) expect(allowed(pid, tid)).toBe(String(cpu));
      // A CPU the machine does not have: taskset refuses, and it says so.
      expect(await pinTree(sh.pid!, 4095)).toBe(false);
    } finally {
      // The sleeps are its children: each ends by its PID, not with the shell.
      for (const pid of tree.reverse()) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
      sh.kill('SIGKILL');
    }
  });

  it('a process that is gone has no tree and cannot be pinned', async () => {
    const p = spawn('/bin/true');
    await new Promise((r) => p.once('exit', r));
    await new Promise((r) => setTimeout(r, 50));
    expect(processTree(p.pid!)).toEqual([]);
    expect(await pinTree(p.pid!, 0)).toBe(false);
  });
});
