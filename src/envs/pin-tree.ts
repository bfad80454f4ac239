import { readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';

/** The PIDs of a process and all its descendants (/proc/PID/task/TID/children), the root first; gone ones are skipped. */
export function processTree(root: number, proc = '/proc'): number[] {
  const seen = new Set<number>();
  const todo = [root];
  while (todo.length) {
    const pid = todo.shift()!;
    if (seen.has(pid)) continue;
    let tasks: string[];
    try {
      tasks = readdirSync(`${proc}/${pid}/task`);
    } catch {
      continue; // it exited meanwhile
    }
    seen.add(pid);
    for (const tid of tasks) {
      try {
        for (const c of readFileSync(`${proc}/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/)) if (c) todo.push(Number(c));
      } catch { /* the thread ended */ }
    }
  }
  return [...seen];
}

/**
 * Pins every thread of a process tree to one CPU (taskset -a -p; util-linux),
 * e.g. a VM's timer, QEMU and its vCPU threads, so a paired run's guest and
 * its host companion take turns on the same CPU. True when every process
 * took it. Threads started later inherit it.
 */
export async function pinTree(root: number, cpu: number): Promise<boolean> {
  const pids = processTree(root);
  if (pids.length === 0) return false;
  let ok = true;
  for (const pid of pids) {
    const r = await execa('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { reject: false, stdio: ['ignore', 'ignore', 'pipe'] });
    ok &&= r.exitCode === 0;
  }
  return ok;
}
