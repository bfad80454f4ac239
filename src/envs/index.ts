import type { Environment } from './types.js';
import type { EnvContext } from './context.js';
import { HostEnvironment } from './host/index.js';
import { ChrootEnvironment } from './chroot/index.js';
import { VmEnvironment } from './vm/index.js';
import { ContainerEnvironment } from './container/index.js';
import { RuncEnvironment } from './runc/index.js';
import { BwrapEnvironment } from './bwrap/index.js';

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
  (ctx) => new VmEnvironment(ctx, ctx.backendOptions?.vm ?? {}),
  // host, chroot, container, runc, bwrap, vm — each backend adds itself here.
];

export function createEnvironments(ctx: EnvContext): Environment[] {
  return factories.map((f) => f(ctx));
}

export { ALL_ENV_NAMES } from './names.js';
