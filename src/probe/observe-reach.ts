import { bool, num, str, strings, type EvidenceLine } from './evidence.js';
import type { HostFacts } from './host-facts.js';
import { unknown, type Observation } from './observation.js';

/* Can the environment reach the host's sentinels: its process, listener, shm segment, file? */

export function observeProcesses(line: EvidenceLine): Observation {
  if (str(line, 'skipped')) return unknown(`not run: ${str(line, 'skipped')}`);
  const kill0 = str(line, 'kill0');
  const token = bool(line, 'cmdline_token');
  const pids = num(line, 'visible_pids');
  const seenPids = pids !== undefined && pids >= 0 ? `; ${pids} processes visible in /proc` : '';
  const pid = num(line, 'pid');
  if (kill0 === 'ok' && token) return { state: 'visible', words: `host sentinel PID ${pid} exists here and its command line holds the token${seenPids}` };
  if (kill0 === 'ESRCH') return { state: 'hidden', words: `host sentinel PID ${pid}: kill(pid,0) = ESRCH, no such process${seenPids}` };
  // The PID number exists but is someone else (another PID namespace reuses numbers).
  if (kill0 === 'ok' || kill0 === 'EPERM') return { state: 'hidden', words: `PID ${pid} exists here (kill0 ${kill0}) but is not the host sentinel: its command line lacks the token${seenPids}` };
  return unknown(`kill(pid,0) = ${kill0 ?? 'missing'}`);
}

export function observeNetwork(line: EvidenceLine, host: HostFacts): Observation {
  const ifaces = strings(line, 'interfaces');
  const ifText = ifaces ? `interfaces ${ifaces.join(', ') || '(none)'}` : `interfaces unreadable (${str(line, 'interfaces') ?? 'missing'})`;
  const sameIfs = ifaces && ifaces.length === host.interfaces.length && ifaces.every((i) => host.interfaces.includes(i));
  const ifWords = sameIfs ? `${ifText} (the host's)` : `${ifText} (host: ${host.interfaces.join(', ')})`;
  if (str(line, 'skipped')) return unknown(`not run: ${str(line, 'skipped')}; ${ifWords}`);
  const connect = str(line, 'connect');
  const port = num(line, 'port');
  if (connect === 'connected' && bool(line, 'listener_token')) {
    return { state: 'host-network', words: `connected to the host's listener on 127.0.0.1:${port} and read its token; ${ifWords}` };
  }
  if (connect === 'connected') {
    return { state: 'isolated', words: `something answered on 127.0.0.1:${port} but without the host listener's token: not the host's socket; ${ifWords}` };
  }
  if (connect === 'refused' || connect === 'timeout' || connect?.startsWith('error:')) {
    return { state: 'isolated', words: `127.0.0.1:${port} (the host's listener) not reachable: ${connect}; ${ifWords}` };
  }
  return unknown(`connect result missing; ${ifWords}`);
}

export function observeIpc(line: EvidenceLine): Observation {
  if (str(line, 'skipped')) return unknown(`not run: ${str(line, 'skipped')}`);
  const r = str(line, 'shmget');
  const key = num(line, 'key');
  const hex = key !== undefined ? `0x${key.toString(16)}` : '?';
  // EACCES means the segment exists but belongs to someone we may not map: still visible.
  if (r === 'ok' || r === 'EACCES') return { state: 'visible', words: `shmget(${hex}) found the host's SysV segment (${r})` };
  if (r === 'ENOENT') return { state: 'hidden', words: `shmget(${hex}) = ENOENT: the host's SysV segment does not exist here` };
  return unknown(`shmget(${hex}) = ${r ?? 'missing'}`);
}

export function observeChrootEscape(line: EvidenceLine): Observation {
  if (str(line, 'skipped')) return unknown(`not run: ${str(line, 'skipped')}`);
  const direct = str(line, 'direct') ?? 'missing';
  const escaped = str(line, 'escaped');
  const directWords = direct === 'present-token' ? 'the host sentinel file is visible directly' : `the host sentinel file is not visible directly (${direct})`;
  if (escaped === undefined) return unknown(`escape not attempted (${str(line, 'skipped_escape') ?? str(line, 'mkdir') ?? 'missing'}); ${directWords}`);
  if (escaped === 'present-token') {
    return { state: direct === 'present-token' ? 'no-boundary' : 'escaped', words: `as root: chroot(x), chdir("..") x64, chroot(".") reached the host root and read the sentinel file's token; ${directWords}` };
  }
  if (escaped.startsWith('absent') || escaped === 'present-other') {
    return { state: 'contained', words: `after chroot(x), chdir("..") x64, chroot("."): the host sentinel file is still out of reach (${escaped}); ${directWords}` };
  }
  if (escaped.startsWith('chroot-failed') || escaped.startsWith('rechroot-failed')) {
    return { state: 'contained', words: `the escape could not even start: ${escaped}; ${directWords}` };
  }
  return unknown(`escape attempt ended with ${escaped}; ${directWords}`);
}
