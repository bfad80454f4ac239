import { readFileSync, readlinkSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { HostRequirementError } from '../core/errors.js';
import { parseEvidence, record, str, num, bool, strings, type EvidenceLine } from './evidence.js';
import type { HostFacts } from '../results/types.js';

const run = promisify(execFile);

export type { HostFacts } from '../results/types.js';

const NS_NAMES = ['pid', 'mnt', 'net', 'ipc', 'uts', 'cgroup', 'user', 'time'];
/** Only checks that write nothing: no scratch dir is passed, so mounts/devices just list. */
const HOST_CHECKS = ['namespaces', 'hypervisor', 'privileges', 'masked-paths', 'devices', 'mounts', 'network'];

export function readHostNamespaces(): Record<string, string> {
  const ns: Record<string, string> = {};
  for (const n of NS_NAMES) {
    try {
      ns[n] = readlinkSync(`/proc/self/ns/${n}`);
    } catch (err) {
      ns[n] = `error:${(err as NodeJS.ErrnoException).code ?? 'unknown'}`;
    }
  }
  return ns;
}

/**
 * Reads the host's identity with Node (namespaces, boot_id, uname, hostname)
 * and runs the host build of the probe for what Node cannot see (CPUID) or
 * should see exactly as the probe does inside an environment (capabilities,
 * masked paths, /dev, interfaces).
 */
export async function collectHostFacts(nativeDir: string): Promise<HostFacts> {
  const probe = path.join(nativeDir, 'isobench-probe');
  let stdout: string;
  try {
    ({ stdout } = await run(probe, ['check', ...HOST_CHECKS], { timeout: 20_000 }));
  } catch (err) {
    throw new HostRequirementError('PROBE_HOST_FACTS', `cannot run ${probe} on the host: ${(err as Error).message}`, {
      cause: err,
      hint: 'build the native helpers with `npm run build`',
    });
  }
  const { lines } = parseEvidence(stdout);
  const ev = (name: string): EvidenceLine | undefined => lines.get(name as never);
  const hv = ev('hypervisor');
  const evidence: Record<string, EvidenceLine> = {};
  for (const [k, v] of lines) evidence[k] = v;
  return {
    recordedAt: new Date().toISOString(),
    bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
    kernelRelease: os.release(),
    hostname: os.hostname(),
    ns: readHostNamespaces(),
    hypervisor: { bit: bool(hv, 'hypervisor_bit') ?? false, vendor: str(hv, 'vendor') ?? null, brand: str(hv, 'brand') ?? null },
    capEff: str(ev('privileges'), 'cap_eff'),
    interfaces: strings(ev('network'), 'interfaces') ?? [],
    mountinfoLines: num(ev('mounts'), 'mountinfo_lines'),
    devCount: num(ev('devices'), 'dev_count'),
    maskedPaths: { read: record(ev('masked-paths'), 'read'), write: record(ev('masked-paths'), 'write') },
    memTotalMiB: Math.round(os.totalmem() / 2 ** 20),
    evidence,
  };
}
