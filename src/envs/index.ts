import type { Environment } from './types.js';
import type { EnvContext } from './context.js';
import { HostEnvironment } from './host/index.js';
import { ChrootEnvironment } from './chroot/index.js';
import { VmEnvironment } from './vm/index.js';
import { ContainerEnvironment } from './container/index.js';
import { RuncEnvironment } from './runc/index.js';
import { BwrapEnvironment } from './bwrap/index.js';
import { DockerEnvironment } from './docker/index.js';
import { GvisorEnvironment } from './gvisor/index.js';
import { NspawnEnvironment } from './nspawn/index.js';

export type { Environment, Prepared, Running, WorkloadInvocation, WorkloadOutput, Availability, Limits } from './types.js';
export type { EnvContext } from './context.js';

type EnvFactory = (ctx: EnvContext) => Environment;

/**
 * Every backend the harness knows, in report order. Scenarios name
 * environments by these names only; they never name backend code.
 */
const factories: EnvFactory[] = [
  (ctx) => new HostEnvironment(ctx),
  (ctx) => new ChrootEnvironment(ctx),
  (ctx) => new ContainerEnvironment(ctx),
  (ctx) => new RuncEnvironment(ctx),
  (ctx) => new BwrapEnvironment(ctx),
  (ctx) => new DockerEnvironment(ctx),
  (ctx) => new GvisorEnvironment(ctx),
  (ctx) => new NspawnEnvironment(ctx),
  (ctx) => new VmEnvironment(ctx, ctx.backendOptions?.vm ?? {}),
  // host, chroot, container, runc, bwrap, docker, gvisor, nspawn, vm — each backend adds itself here.
];

export function createEnvironments(ctx: EnvContext): Environment[] {
  return factories.map((f) => f(ctx));
}

export const ALL_ENV_NAMES = ['host', 'chroot', 'container', 'runc', 'bwrap', 'docker', 'gvisor', 'nspawn', 'vm'] as const;
