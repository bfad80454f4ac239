export { BwrapEnvironment, type BwrapPrepared } from './bwrap-env.js';
export { bwrapArgs } from './bwrap-args.js';
