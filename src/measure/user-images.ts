/**
 * The user images a run needs (`image:` in a scenario, `bench run --image`):
 * resolved (imported, pulled, checked for architecture) and given the probe
 * layer before any environment is prepared, so a bad reference, a foreign
 * architecture or a `shell:` command without /bin/sh stops the run before
 * anything is measured.
 */
import type { HomePaths } from '../core/home.js';
import { ConfigError } from '../core/errors.js';
import { resolveUserImage, type UserImage } from '../image/user-image.js';
import { imageHasFile } from '../image/image-files.js';
import type { UserImageInfo } from '../results/types.js';
import type { Scenario } from '../scenario/schema.js';

export type ResolveImageFn = (home: HomePaths, ref: string, log: (line: string) => void) => Promise<UserImage>;

export const defaultResolveImage: ResolveImageFn = (home, ref, log) => resolveUserImage(home, ref, { log });

export function userImageInfo(u: UserImage): UserImageInfo {
  return {
    ref: u.ref, source: u.source, name: u.name, digest: u.digest,
    ...(u.dockerImageId ? { dockerImageId: u.dockerImageId } : {}),
    architecture: u.architecture, runName: u.run.name, runDigest: u.run.digest,
  };
}

/** Resolves each distinct image once; checks every `shell:` command against its image. */
export async function resolveScenarioImages(home: HomePaths, scenarios: readonly Scenario[], resolve: ResolveImageFn, log: (line: string) => void): Promise<Map<string, UserImage>> {
  const images = new Map<string, UserImage>();
  for (const s of scenarios) {
    if (!s.image || images.has(s.image)) continue;
    log(`resolving image ${s.image}`);
    images.set(s.image, await resolve(home, s.image, log));
  }
  const shellChecked = new Map<string, boolean>();
  for (const s of scenarios) {
    const shell = s.workload.type === 'command' && typeof (s.workload.params as { shell?: unknown }).shell === 'string';
    if (!shell || !s.image) continue;
    const img = images.get(s.image)!;
    if (!shellChecked.has(s.image)) shellChecked.set(s.image, await imageHasFile(img.run, '/bin/sh'));
    if (!shellChecked.get(s.image)) {
      throw new ConfigError('IMAGE_NO_SHELL', `scenario ${s.name}: its command uses shell:, but image ${s.image} has no /bin/sh`, {
        hint: 'write the command as argv: [program, args...] instead, or use an image with a shell',
      });
    }
  }
  return images;
}
