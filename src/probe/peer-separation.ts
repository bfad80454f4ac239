import crypto from 'node:crypto';
import type { Environment, Prepared } from '../envs/types.js';
import { IMAGE_PATHS } from '../image/types.js';
import { openEngine, runContainer, deleteContainer, readLogs, type Engine } from '../engine/container/index.js';
import type { HomePaths } from '../core/home.js';
import { buildCheckArgv, scratchInside } from './check-argv.js';
import type { ContainerSeparationFacts, HostFacts } from '../results/types.js';
import { runChecksIn } from './run-checks.js';

export interface PeerSeparationOptions {
  home: HomePaths;
  nativeDir: string;
  /** The container environment, prepared (B runs through its start/wait like every isolation run). */
  env: Environment;
  prepared: Prepared & { lowerDirs: string[] };
  host: HostFacts;
  timeoutMs?: number;
  /** Upper bound on A's life should the harness die (A is removed in finally anyway). */
  maxSeconds?: number;
}

async function waitReady(engine: Engine, id: string, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const log = await readLogs(engine, id).catch(() => '');
    const line = log.split('\n').find((l) => l.startsWith('ready ') || l.startsWith('error '));
    if (line) return line;
    if (Date.now() > until) throw new Error(`container A's sentinel did not report ready within ${timeoutMs} ms (log: ${log.slice(-200).trim()})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Direct evidence for "the engine separates containers from each other":
 * container A (our engine, detached) runs the probe's sentinel, holding a
 * token in its cmdline and a SysV shm segment with a random key; container B
 * runs the normal check workload with facts pointing at A's host-visible pid
 * and A's key. A is killed and deleted (cgroup, mounts, dir) whatever happens.
 * A's loopback is not probed: the sentinel has no listener of its own.
 */
export async function probePeerSeparation(opts: PeerSeparationOptions): Promise<ContainerSeparationFacts> {
  const engine = openEngine(opts.home, { nativeDir: opts.nativeDir });
  const id = `peer-${crypto.randomBytes(4).toString('hex')}`;
  const token = `isobench-peer-${crypto.randomBytes(12).toString('hex')}`;
  const shmKey = 0x16000000 + crypto.randomInt(1, 0xffffff);
  try {
    const { state } = await runContainer(engine, {
      id,
      rootfs: { kind: 'overlay', lowerDirs: opts.prepared.lowerDirs },
      argv: [IMAGE_PATHS.probe, 'check', 'sentinel', '--token', token, '--shm-key', String(shmKey), '--max-seconds', String(opts.maxSeconds ?? 300)],
    }, undefined, { detach: true });
    const ready = await waitReady(engine, id, 10_000);
    if (!ready.startsWith('ready ')) return { status: 'failed', reason: `container A's sentinel: ${ready}` };
    const [, innerPid, shmid] = ready.split(' ');
    if (!shmid || Number(shmid) < 0) return { status: 'failed', reason: `container A's sentinel holds no shm segment: ${ready}` };
    const pid = state.initPid;
    if (!pid) return { status: 'failed', reason: 'container A has no init pid' };
    const argv = buildCheckArgv(
      { pid, token, shmKey, port: 1, filePath: '/nonexistent-isobench-peer', fileToken: token },
      { scratch: scratchInside() },
    );
    const run = await runChecksIn(opts.env, opts.prepared, opts.host, { argv, limits: {}, timeoutMs: opts.timeoutMs ?? 60_000 });
    if (run.status !== 'ok') return { status: 'failed', reason: `container B: ${run.reason}` };
    const proc = run.evidence?.lines.get('processes');
    const ipc = run.evidence?.lines.get('ipc');
    if (!proc || !ipc) return { status: 'failed', reason: 'container B printed no processes/ipc evidence' };
    const peerKill0 = String(proc.kill0 ?? 'missing');
    const peerPidVisible = proc.cmdline_token === true;
    const peerShm = String(ipc.shmget ?? 'missing');
    const separated = !peerPidVisible && peerShm !== 'ok';
    return {
      status: 'ok', separated, peerPid: pid, peerKill0, peerPidVisible, peerShmKey: shmKey, peerShm,
      evidence: `container A (${id}, host pid ${pid}, sentinel ready as pid ${innerPid} with shmid ${shmid}, token in cmdline, shm key 0x${shmKey.toString(16)}) running; from container B: kill(${pid},0)=${peerKill0}, A's token in /proc/${pid}/cmdline: ${peerPidVisible ? 'yes' : 'no'}, shmget(0x${shmKey.toString(16)})=${peerShm}`,
    };
  } catch (err) {
    return { status: 'failed', reason: (err as Error).message };
  } finally {
    await deleteContainer(engine, id, { force: true }).catch(() => {});
  }
}
