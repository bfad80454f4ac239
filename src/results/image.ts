import * as z from 'zod';

/* results.image: the one image every environment ran. */

export const imageInfoSchema = z.object({
  name: z.string(),
  digest: z.string().describe('digest of the OCI manifest: the image identity every environment reports'),
  layers: z.array(z.object({ digest: z.string(), size: z.number(), description: z.string().optional() })),
});
export type ImageInfo = z.infer<typeof imageInfoSchema>;

/*
 * A user's image a scenario ran in (`image:` or `bench run --image`): where
 * it came from, its own digest, and the digest of what actually ran (its
 * layers unchanged plus isobench's probe layer on top).
 */
export const userImageInfoSchema = z.object({
  ref: z.string().describe('as the user wrote it'),
  source: z.enum(['store', 'oci-archive', 'docker-archive', 'registry']),
  name: z.string().describe('its name in the store'),
  digest: z.string().describe("manifest digest of the user's image (for a docker save archive, of the OCI manifest made on import)"),
  dockerImageId: z.string().optional().describe("docker save archives: Docker's image ID (the config's digest), as `docker images` shows it"),
  architecture: z.string(),
  runName: z.string().describe("store name of the image every environment ran: the user's layers + the probe layer"),
  runDigest: z.string().describe('manifest digest of that image: what every environment reports'),
});
export type UserImageInfo = z.infer<typeof userImageInfoSchema>;
