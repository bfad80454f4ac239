import * as z from 'zod';

/* results.image: the one image every environment ran. */

export const imageInfoSchema = z.object({
  name: z.string(),
  digest: z.string().describe('digest of the OCI manifest: the image identity every environment reports'),
  layers: z.array(z.object({ digest: z.string(), size: z.number(), description: z.string().optional() })),
});
export type ImageInfo = z.infer<typeof imageInfoSchema>;
