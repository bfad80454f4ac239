import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Whether an executable is on PATH, without spawning anything (used at option-parsing time). */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const dir of (env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch { /* next */ }
  }
  return false;
}
