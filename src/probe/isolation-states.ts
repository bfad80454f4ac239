import type { EnvKind } from '../results/types.js';
import type { Isolation } from '../results/isolation.js';
import type { EvidenceLine } from './evidence.js';
import { str } from './evidence.js';
import { UNKNOWN } from './observation.js';

/**
 * Whether an observed state means the environment is isolated from the host
 * on this axis, independent of what the seed claims (that is the outcome,
 * as-claimed / contradicts). The report colours the matrix by this, so the
 * host "seeing everything" is red even though it is exactly as expected.
 */
const STATES: Record<string, { isolated: string[]; exposed: string[] }> = {
  namespaces: { isolated: ['separate'], exposed: ['shared', 'partial'] },
  kernel: { isolated: ['other-kernel'], exposed: ['host-kernel'] },
  hypervisor: { isolated: ['own-hypervisor'], exposed: ['same-as-host'] },
  processes: { isolated: ['hidden'], exposed: ['visible'] },
  network: { isolated: ['isolated'], exposed: ['host-network'] },
  hostname: { isolated: ['own'], exposed: ['host'] },
  ipc: { isolated: ['hidden'], exposed: ['visible'] },
  mounts: { isolated: ['denied', 'allowed-own-namespace'], exposed: ['allowed-host-namespace'] },
  'chroot-escape': { isolated: ['contained'], exposed: ['escaped', 'no-boundary'] },
  privileges: { isolated: ['reduced'], exposed: ['full'] },
  'masked-paths': { isolated: ['masked'], exposed: ['same-as-host', 'partly-masked'] },
  devices: { isolated: ['restricted', 'denied-host-dev'], exposed: ['usable'] },
  'memory-limit': { isolated: ['enforced', 'own-ram', 'bounded-killed'], exposed: ['no-limit', 'not-enforced'] },
};

/**
 * Checks whose verdict in a VM is decided by the guest having its own kernel:
 * root in the guest mounting, opening its devices or holding every capability touches the guest,
 * not the host (the namespace ids a guest kernel reports even look like the
 * host's, so the state vocabulary would mislabel it).
 */
const VM_OWN_KERNEL = new Set(['mounts', 'privileges', 'devices']);

/**
 * @param hostOk the host's expected states for a check this table does not
 *   know (a newer check): matching the host's behaviour then counts as exposed.
 * @param notApplicable the expectation says the check does not apply to this kind.
 */
export function isolationOfState(check: string, kind: EnvKind, state: string, line: EvidenceLine | undefined, opts: { hostOk?: readonly string[]; notApplicable?: boolean } = {}): Isolation {
  if (state === UNKNOWN) return 'n/a';
  if (kind === 'vm' && VM_OWN_KERNEL.has(check)) return 'isolated';
  if (opts.notApplicable && kind !== 'host') return 'n/a';
  if (check === 'root') {
    // "same" means either the host sentinel's root (exposed) or only PID 1's (the environment's own root).
    if (str(line, 'sentinel_root') === 'same') return 'exposed';
    return state === 'differ' || state === 'same' ? 'isolated' : 'n/a';
  }
  const known = STATES[check];
  if (known) return known.isolated.includes(state) ? 'isolated' : known.exposed.includes(state) ? 'exposed' : 'n/a';
  if (opts.hostOk) return opts.hostOk.includes(state) ? 'exposed' : 'isolated';
  return 'n/a';
}
