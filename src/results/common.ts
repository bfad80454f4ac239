import * as z from 'zod';

/* Small pieces shared by several parts of results.json. */

export const envKindSchema = z.enum(['host', 'chroot', 'container', 'vm']).describe('which column of the seed comparison an environment stands for');
export type EnvKind = z.infer<typeof envKindSchema>;

export const acceleratorSchema = z.enum(['kvm', 'tcg']).describe('how the VM ran: kvm (hardware) or tcg (emulated)');
export type Accelerator = z.infer<typeof acceleratorSchema>;

/** Any JSON value: what a probe or a workload printed, kept as parsed. */
export const jsonSchema = z.json();
export type JsonValue = z.infer<typeof jsonSchema>;
export const jsonRecordSchema = z.record(z.string(), jsonSchema);
export type JsonRecord = z.infer<typeof jsonRecordSchema>;

/** A failure as describeError() records it. */
export const errorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
});
export type ErrorInfo = z.infer<typeof errorInfoSchema>;

/** Every measured fact says whether it ran: ok, failed (with why) or skipped (with why). */
export const factStatusSchema = z.enum(['ok', 'failed', 'skipped']);
export type FactStatus = z.infer<typeof factStatusSchema>;
