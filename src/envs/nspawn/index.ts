export { NspawnEnvironment, removeNspawnLeftovers, nspawnMachinePrefix, type NspawnPrepared } from './nspawn-env.js';
export { nspawnArgs, type NspawnArgsInput } from './nspawn-args.js';
