import { ConfigError } from '../core/errors.js';
import type { EnvKind } from '../results/types.js';
import type { Environment } from './types.js';
import type { EnvContext } from './context.js';
import { HostEnvironment } from './host/index.js';
import { ChrootEnvironment } from './chroot/index.js';
import { ContainerEnvironment } from './container/index.js';
import { RuncEnvironment } from './runc/index.js';
import { BwrapEnvironment } from './bwrap/index.js';
import { DockerEnvironment } from './docker/index.js';
import { GvisorEnvironment } from './gvisor/index.js';
import { NspawnEnvironment } from './nspawn/index.js';
import { VmEnvironment } from './vm/index.js';

/** One environment the harness knows: what scenarios, --env, doctor and reports call it, and how to build it. */
export interface EnvironmentEntry {
  /** Unique name in scenario files, --env and reports. */
  readonly name: string;
  /** Which column of the seed's comparison it stands for. */
  readonly kind: EnvKind;
  /** One line for --help and `bench doctor`. */
  readonly description: string;
  readonly create: (ctx: EnvContext) => Environment;
}

/**
 * Every environment, in report order. This table is the only list: the
 * scenario schema, the CLI's --env, `bench doctor` and the run all read it
 * when they need it (never copied at module load), so adding an environment
 * is one row here plus the backend's own folder.
 */
export const ENVIRONMENTS: EnvironmentEntry[] = [
  { name: 'host', kind: 'host', description: 'the bare host: the baseline every ratio is taken against', create: (ctx) => new HostEnvironment(ctx) },
  { name: 'chroot', kind: 'chroot', description: 'chroot(2) into the unpacked image, no namespaces', create: (ctx) => new ChrootEnvironment(ctx) },
  { name: 'container', kind: 'container', description: "isobench's own engine: namespaces, overlayfs, cgroups, seccomp", create: (ctx) => new ContainerEnvironment(ctx) },
  { name: 'runc', kind: 'container', description: 'runc (the OCI reference runtime) on the same image', create: (ctx) => new RuncEnvironment(ctx) },
  { name: 'bwrap', kind: 'container', description: 'bubblewrap sandbox on the same image', create: (ctx) => new BwrapEnvironment(ctx) },
  { name: 'docker', kind: 'container', description: '`docker run --rm` on isobench\'s own dockerd (own socket and data-root), timed through the CLI', create: (ctx) => new DockerEnvironment(ctx) },
  { name: 'gvisor', kind: 'container', description: 'gVisor (runsc): a kernel in user space, on the runc bundle of the same image', create: (ctx) => new GvisorEnvironment(ctx) },
  { name: 'nspawn', kind: 'container', description: 'systemd-nspawn (--register=no --keep-unit, private network) on the same image', create: (ctx) => new NspawnEnvironment(ctx) },
  { name: 'vm', kind: 'vm', description: 'QEMU microVM booting the image as its initramfs (KVM, else TCG)', create: (ctx) => new VmEnvironment(ctx, ctx.backendOptions?.vm ?? {}) },
];

/** Names in report order, read from the table at call time. */
export function environmentNames(): string[] {
  return ENVIRONMENTS.map((e) => e.name);
}

export function environmentEntry(name: string): EnvironmentEntry | undefined {
  return ENVIRONMENTS.find((e) => e.name === name);
}

export function isEnvironmentName(name: string): boolean {
  return environmentEntry(name) !== undefined;
}

/** One instance of every environment, in report order; a backend whose name or kind disagrees with its row is a bug caught here. */
export function createEnvironments(ctx: EnvContext): Environment[] {
  return ENVIRONMENTS.map((entry) => {
    const env = entry.create(ctx);
    if (env.name !== entry.name || env.kind !== entry.kind) {
      throw new ConfigError('ENV_REGISTRY', `environment table row "${entry.name}" (${entry.kind}) built "${env.name}" (${env.kind})`);
    }
    return env;
  });
}

/** The names in `names` that are not environments ([] when all are known). */
export function unknownEnvironments(names: readonly string[]): string[] {
  return names.filter((n) => !isEnvironmentName(n));
}
