import type { ImageRef } from '../../src/image/types.js';

/** An image reference for the hand-made rootfs (makeTestHome): the backends get its layer dirs from an injected snapshot function, so it has no layers of its own. */
export function handImage(storeRoot: string): ImageRef {
  return {
    name: 'hand/rootfs:test', digest: 'sha256:' + '0'.repeat(64), layers: [],
    config: { env: [], entrypoint: [], cmd: [], workingDir: '/' }, storeRoot,
  };
}
