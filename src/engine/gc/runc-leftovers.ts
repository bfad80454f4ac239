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

/**
 * `runsc --root R delete -force <id>` for every sandbox runsc lists under R:
 * that stops the sandbox and gofer processes too. runsc's state files are
 * not named by id, so it is asked for the list.
 */
export async function deleteRunscLeftovers(root: string): Promise<string[]> {
  const deleted: string[] = [];
  let ids: string[] = [];
  try {
    ids = (await run('runsc', ['--root', root, 'list', '-quiet'], { timeout: 20_000 })).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  } catch {
    // No runsc or no root: nothing it could still run.
  }
  for (const id of ids) {
    try {
      await run('runsc', ['--root', root, 'delete', '-force', id], { timeout: 20_000 });
      deleted.push(id);
    } catch {
      // Already gone.
    }
  }
  await fs.rm(root, { recursive: true, force: true });
  return deleted;
}

/** Dispatch on the runtime a group recorded. */
export async function deleteRuntimeLeftovers(r: { runtime: 'runsc'; root: string }): Promise<string[]> {
  return deleteRunscLeftovers(r.root);
}
