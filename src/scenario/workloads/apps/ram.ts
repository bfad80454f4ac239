/**
 * Shared by the storage workloads (fio, sqlite): their scripts print
 * `isobench.result scratch_in_ram=0|1` (statfs of the work dir: tmpfs or
 * ramfs = 1). A cell whose work dir was RAM while the host's was not is not
 * comparable: it measures memory, not storage.
 */
export function ramScratchReason(cell: Record<string, number>, host: Record<string, number>): string | undefined {
  if (cell.scratch_in_ram === 1 && host.scratch_in_ram !== 1) return 'the work dir is a tmpfs (RAM) in this environment, on disk on the host: a storage figure measured in memory is not comparable';
  return undefined;
}

export const SCRATCH_IN_RAM_METRIC = { name: 'scratch_in_ram', unit: '1', higherIsBetter: false, description: '1 = the work dir was a tmpfs/ramfs (RAM), 0 = a disk-backed filesystem' } as const;
