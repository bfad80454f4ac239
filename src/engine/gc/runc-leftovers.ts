import { promises as fs } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `runc --root R delete -f <id>` for every container runc still has state for under R. */
export async function deleteRuncLeftovers(root: string): Promise<string[]> {
  const ids = await fs.readdir(root).catch(() => [] as string[]);
  const deleted: string[] = [];
  for (const id of ids) {
    try {
      await run('runc', ['--root', root, 'delete', '-f', id]);
      deleted.push(id);
    } catch {
      // runc gone or state corrupt: the dir is removed with the group either way.
    }
  }
  await fs.rm(root, { recursive: true, force: true });
  return deleted;
}
