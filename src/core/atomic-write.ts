import { rename, rm, writeFile } from 'node:fs/promises';

/**
 * Writes `file` through `FILE.<pid>.tmp` + rename, so readers never see half
 * a file, and removes the temp when the write fails (ENOSPC mid-write would
 * otherwise leave a large partial file). A temp left by a SIGKILL carries
 * the dead pid in its name and is swept by `bench gc`.
 */
export async function writeFileAtomic(file: string, data: string | NodeJS.ArrayBufferView): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}
