import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NetworkError } from './errors.js';

export interface PortMapping {
  hostPort: number;
  containerPort: number;
}

/** "8080:80" -> { hostPort: 8080, containerPort: 80 }. Published on 127.0.0.1 only. */
export function parsePublish(text: string): PortMapping {
  const m = /^(?:127\.0\.0\.1:)?(\d{1,5}):(\d{1,5})(?:\/tcp)?$/.exec(text.trim());
  const hostPort = Number(m?.[1]);
  const containerPort = Number(m?.[2]);
  if (!m || hostPort < 1 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
    throw new NetworkError('NET_BAD_PUBLISH', `bad --publish ${JSON.stringify(text)}`, { hint: 'use HOSTPORT:CONTAINERPORT (TCP, bound to 127.0.0.1), e.g. -p 8080:80' });
  }
  return { hostPort, containerPort };
}

export const PROXY_MARKER = 'isobench-port-proxy';

/** How to start proxy-main: the compiled .js next to this file, or the .ts through tsx (tests, dev). */
function proxyCommand(): string[] {
  const js = fileURLToPath(new URL('./proxy-main.js', import.meta.url));
  if (fs.existsSync(js)) return [process.execPath, js];
  return [process.execPath, '--import', 'tsx', fileURLToPath(new URL('./proxy-main.ts', import.meta.url))];
}

/** Starts a detached proxy process and waits until it listens; returns its pid. */
export async function spawnProxy(map: PortMapping, targetHost: string, tag: string): Promise<number> {
  const [cmd, ...args] = proxyCommand();
  const child = spawn(cmd!, [...args, String(map.hostPort), targetHost, String(map.containerPort), `${PROXY_MARKER}-${tag}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (b: Buffer) => { err += b.toString(); });
  const ok = await new Promise<boolean>((resolve) => {
    child.stdout?.on('data', (b: Buffer) => { if (b.toString().includes('ready')) resolve(true); });
    child.once('exit', () => resolve(false));
    setTimeout(() => resolve(false), 15_000).unref();
  });
  if (!ok || child.pid === undefined) {
    if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
    const inUse = err.includes('EADDRINUSE');
    throw new NetworkError(inUse ? 'NET_PORT_IN_USE' : 'NET_PROXY_FAILED', `cannot publish 127.0.0.1:${map.hostPort} -> ${targetHost}:${map.containerPort}: ${err.trim() || 'proxy did not start'}`, {
      hint: inUse ? 'choose another host port' : 'see the message above',
    });
  }
  child.stdout?.destroy();
  child.stderr?.destroy();
  child.unref();
  return child.pid;
}

/** Kills a proxy by pid only if its command line carries our marker for this home (pids get reused). */
export function killProxy(pid: number, tag: string): boolean {
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return false;
  }
  if (!cmdline.includes(`${PROXY_MARKER}-${tag}`)) return false;
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
