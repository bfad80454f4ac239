import { mkdir, chmod } from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../core/home.js';
import type { ImageRef } from '../image/types.js';
import { IMAGE_PATHS } from '../image/types.js';
import { unpackImage } from '../image/unpack.js';

/** Writes the image's layers, in order, into an empty directory. */
export type UnpackFn = (image: ImageRef, destDir: string) => Promise<void>;

/**
 * The image presentation the host and chroot arms use: one unpacked copy of
 * exactly the image's layers (src/image does the unpacking and verifies the
 * digests). Injectable so backend logic can be tested on a hand-made tree.
 */
export function defaultUnpack(home: HomePaths): UnpackFn {
  return async (image, destDir) => {
    await unpackImage(home, image, destDir);
  };
}

/** Unpacks into destDir and makes sure the scratch dir exists, world-writable like any /tmp. */
export async function unpackRootfs(unpack: UnpackFn, image: ImageRef, destDir: string): Promise<string> {
  await mkdir(destDir, { recursive: true });
  await unpack(image, destDir);
  const scratch = path.join(destDir, IMAGE_PATHS.scratch);
  await mkdir(scratch, { recursive: true });
  await chmod(scratch, 0o1777);
  return scratch;
}

/** Default process environment of a workload, the same in every arm. */
export const BASE_ENV: Record<string, string> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/',
  LANG: 'C',
};
