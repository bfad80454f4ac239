import * as z from 'zod';
import { factStatusSchema } from '../common.js';

/** results.facts.containerSeparation: container B probed for container A's objects (read by the engine.separates judge). */
export const containerSeparationFactsSchema = z.object({
  status: factStatusSchema,
  reason: z.string().optional(),
  separated: z.boolean().optional().describe("B saw neither A's process (by its token) nor A's shm key"),
  peerPid: z.number().int().optional(),
  peerKill0: z.string().optional().describe("B's kill(A's host pid, 0): ESRCH = no such pid in B's pid namespace"),
  peerPidVisible: z.boolean().optional().describe("whether /proc/<A's pid>/cmdline in B held A's token"),
  peerShmKey: z.number().int().optional(),
  peerShm: z.string().optional().describe("B's shmget(A's key, 0, 0): ENOENT = not in B's IPC namespace"),
  evidence: z.string().optional(),
}).describe('results.facts.containerSeparation: container B probed for container A\'s objects (read by the engine.separates judge).');
export type ContainerSeparationFacts = z.infer<typeof containerSeparationFactsSchema>;
