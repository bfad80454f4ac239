export { HostEnvironment } from './host-env.js';
export type { HostPrepared } from './host-env.js';
export { mapArgv } from './path-map.js';
