import { NAMESPACES, type ContainerOptions, type NamespaceName } from '../../engine/index.js';
import { ConfigError } from '../../core/errors.js';

/**
 * Test-only: EnvContext.testOptions['container.weaken'] = "caps,masks,nnp,net,..."
 * turns parts of the isolation off so the isolation checks can prove they
 * notice (a check that passes against a weakened engine is worthless).
 * Never set in normal runs.
 */
export function weakenedOptions(spec: string | undefined): Partial<ContainerOptions> {
  if (!spec) return {};
  const out: Partial<ContainerOptions> = {};
  const drop = new Set<NamespaceName>();
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (item === 'caps') out.capabilities = 'all';
    else if (item === 'masks') { out.maskedPaths = []; out.readonlyPaths = []; }
    else if (item === 'nnp') out.noNewPrivileges = false;
    else if (item === 'seccomp') out.seccomp = 'unconfined';
    else if (item === 'devices') out.confinement = { ...out.confinement, devices: false };
    // The state before this engine confined cgroups: limit hierarchies only, and the host's cgroup namespace.
    else if (item === 'cgroups') { out.confinement = { ...out.confinement, allHierarchies: false }; drop.add('cgroup'); }
    else if ((NAMESPACES as readonly string[]).includes(item) && item !== 'mnt') drop.add(item as NamespaceName);
    else throw new ConfigError('BAD_TEST_OPTION', `container.weaken: unknown item ${JSON.stringify(item)}`, { hint: 'use caps, masks, nnp, seccomp, devices, cgroups, pid, net, ipc, uts, cgroup' });
  }
  if (drop.size) out.namespaces = NAMESPACES.filter((n) => !drop.has(n));
  return out;
}
