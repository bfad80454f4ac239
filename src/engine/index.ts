/**
 * isobench's container engine. Store/layers/image (src/engine/store,
 * src/engine/layers) provide the snapshot dirs; this module turns them into
 * isolated containers through the native shim (src/native/nsexec).
 */
export * from './spec/index.js';
export * from './cgroups/index.js';
export * from './state/index.js';
export * from './rootfs/index.js';
export * from './namespaces/index.js';
export * from './container/index.js';
export * from './gc/index.js';
