import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Environment, Prepared } from '../envs/types.js';
import type { HostPeerSpec } from '../scenario/workloads/types.js';
import { NATIVE_DIR } from '../core/version.js';
import { HostRequirementError, ProcessError } from '../core/errors.js';
import { dieWithParent, recordChild } from '../core/owned-process.js';
import { NO_LEDGER, type Ledger } from '../core/run-ledger.js';

/** Host and chroot share the host's network stack; any other backend must say how it reaches the host. */
function sharedHostNetwork(env: Environment): { listen: string; connect: string } {
  if (env.kind === 'host' || env.kind === 'chroot') return { listen: '127.0.0.1', connect: '127.0.0.1' };
  throw new HostRequirementError('PEER_UNREACHABLE', `${env.name} offers no network path to a peer on the host (the backend has no peerAddress)`, {
    hint: 'network workloads need a backend that implements Environment.peerAddress (the VM would need a NIC, e.g. QEMU user networking)',
  });
}

/** A running host-side peer (e.g. the probe's TCP server) for one environment. */
export interface HostPeer {
  host: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `spec` on the host at the address `env` can reach (env.peerAddress,
 * default 127.0.0.1), waits for its ready line and returns where the
 * environment connects. Killed by PID in stop(); also when it fails to start.
 */
export async function startHostPeer(spec: HostPeerSpec, env: Environment, prepared: Prepared, nativeDir = NATIVE_DIR, ledger: Ledger = NO_LEDGER): Promise<HostPeer> {
  const addr = env.peerAddress ? await env.peerAddress(prepared) : sharedHostNetwork(env);
  // Dies with the harness (PDEATHSIG) and is recorded in the run's ledger, so a SIGKILLed run leaves no listener.
  const argv = dieWithParent(spec.argv.map((a) => (a === '{probe}' ? path.join(nativeDir, 'isobench-probe') : a === '{bind}' ? addr.listen : a)));
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  recordChild(ledger, child, argv);
  let out = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await gone;
  };
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (b: Buffer): void => {
      out += b.toString();
      const m = spec.ready.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (b: Buffer) => { out += b.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => reject(new ProcessError('PEER_EXITED', `host peer ${argv.join(' ')} exited (${code}) before it was ready: ${out.trim().slice(-300)}`)));
    setTimeout(() => reject(new ProcessError('PEER_TIMEOUT', `host peer ${argv.join(' ')} not ready within 10 s`)), 10_000).unref();
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  // The peer's later output is not ours to keep; drain it so it never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return { host: addr.connect, port, pid: child.pid!, stop };
}
