import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HostRequirementError } from '../../core/errors.js';

const run = promisify(execFile);

/**
 * Parses `ldd` output into the absolute paths the dynamic loader resolved,
 * loader included. The vDSO (no path) is skipped; a "not found" library is
 * an error, because the image would not run.
 */
export function parseLdd(output: string, binary: string): string[] {
  const paths = new Set<string>();
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.includes('not a dynamic executable') || line.startsWith('statically linked')) continue;
    if (line.includes('=> not found')) {
      throw new HostRequirementError('IMAGE_LIB_MISSING', `${binary} needs ${line.split(' ')[0]}, which the host lacks`, {
        hint: 'reinstall the package that provides the binary (scripts/setup)',
      });
    }
    const arrow = /=>\s+(\/\S+)\s+\(/.exec(line);
    const bare = /^(\/\S+)\s+\(/.exec(line);
    const p = arrow?.[1] ?? bare?.[1];
    if (p) paths.add(p);
  }
  return [...paths].sort();
}

/** Shared libraries + loader of a host binary, at the paths ldd reports. */
export async function sharedLibraries(binary: string): Promise<string[]> {
  try {
    const { stdout } = await run('ldd', [binary]);
    return parseLdd(stdout, binary);
  } catch (err) {
    // ldd exits 1 for static binaries ("not a dynamic executable").
    const out = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`;
    if (out.includes('not a dynamic executable')) return [];
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HostRequirementError('IMAGE_LDD_MISSING', 'ldd is not installed', { hint: 'apt-get install libc-bin' });
    }
    throw err;
  }
}
