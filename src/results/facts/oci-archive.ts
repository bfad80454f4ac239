import * as z from 'zod';
import { errorInfoSchema } from '../common.js';

/** results.facts.ociArchive: the figures beside the OCI-archive and chroot-tar portability evidence. */
export const ociArchiveFactsSchema = z.object({
  status: z.enum(['ok', 'failed']),
  error: errorInfoSchema.optional(),
  archiveBytes: z.number().optional(),
  archiveSha256: z.string().optional(),
  exportMs: z.number().optional(),
  importMs: z.number().optional(),
  plainTarIdentical: z.boolean().optional().describe('plain `tar -c` of two unpacks of the same image: equal digests?'),
  normalizedTarIdentical: z.boolean().optional().describe('the same with --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner'),
}).describe('results.facts.ociArchive: the figures beside the OCI-archive and chroot-tar portability evidence.');
export type OciArchiveFacts = z.infer<typeof ociArchiveFactsSchema>;
