export { RuncEnvironment, type RuncPrepared } from './runc-env.js';
export { runcConfig, type RuncConfigInput } from './runc-config.js';
export { mountPeerRootfs, type PeerRootfs } from './peer-rootfs.js';
export { PeerEnvironment, type PeerPrepared } from './peer-env.js';
export { writeBundle, writeRunBundle, type RunBundleInput } from './bundle.js';
