import { promises as fs, readFileSync } from 'node:fs';

/**
 * The thin seam between cgroup logic and the kernel's files (youki's Syscall
 * trait): the real one touches /sys/fs/cgroup, tests use a recording fake.
 */
export interface HostOps {
  readFile(path: string): Promise<string>;
  writeFile(path: string, value: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  /** Names of the subdirectories; [] when path does not exist. */
  listDirs(path: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  mountinfo(): string;
  /** A small file read at detection time (undefined when unreadable). */
  readFileSync?(path: string): string | undefined;
}

export const realHostOps: HostOps = {
  readFile: (p) => fs.readFile(p, 'utf8'),
  writeFile: (p, v) => fs.writeFile(p, v),
  mkdir: async (p) => { await fs.mkdir(p, { recursive: true }); },
  rmdir: (p) => fs.rmdir(p),
  async listDirs(p) {
    try {
      return (await fs.readdir(p, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  },
  exists: (p) => fs.access(p).then(() => true, () => false),
  mountinfo: () => readFileSync('/proc/self/mountinfo', 'utf8'),
  readFileSync: (p) => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } },
};
