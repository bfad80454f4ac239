import { spawn } from 'node:child_process';
import type { Engine } from './engine.js';
import { shimPath } from './engine.js';
import { loadState } from '../state/store.js';
import { assertCan } from '../state/guards.js';
import { shimExecArgs } from '../spec/shim-args.js';
import { ProcessError } from '../../core/errors.js';

export interface ExecOptions {
  env?: string[];
  cwd?: string;
  /** 'inherit' (CLI) or 'pipe' (collect output). */
  stdio?: 'inherit' | 'pipe';
}

/**
 * Runs a program inside a running container: the shim joins the init's
 * namespaces and cgroups, forks and execs with the container's capability
 * set and no_new_privs.
 */
export async function execContainer(engine: Engine, id: string, argv: string[], opts: ExecOptions = {}): Promise<{ exitCode: number; output: string }> {
  const s = await loadState(engine.home, id);
  assertCan('exec', id, s.status);
  if (s.initPid === null) throw new ProcessError('NO_INIT', `container ${id} has no init pid recorded`);
  const env = [...s.spec.env.filter((e) => !(opts.env ?? []).some((o) => o.split('=')[0] === e.split('=')[0])), ...(opts.env ?? [])];
  const args = shimExecArgs(s.spec, s.initPid, engine.cgroups.joinFiles(s.cgroup.parent, s.cgroup.name), argv, env, opts.cwd ?? s.spec.cwd);
  const child = spawn(shimPath(engine), args, { stdio: opts.stdio === 'pipe' ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: {} });
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => chunks.push(b));
  child.stderr?.on('data', (b: Buffer) => chunks.push(b));
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve(code ?? (sig ? 128 : 255)));
  });
  return { exitCode, output: Buffer.concat(chunks).toString('utf8') };
}
