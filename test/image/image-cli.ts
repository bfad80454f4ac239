import { Command } from 'commander';
import { vi } from 'vitest';
import { register } from '../../src/cli/commands/image.js';

/** Runs `bench --home <home> image ...` through the real command definitions; returns stdout (stderr is swallowed). */
export async function benchImage(home: string, ...args: string[]): Promise<string> {
  const program = new Command('bench').option('--home <dir>').exitOverride();
  register(program, () => undefined);
  let out = '';
  const spyOut = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => { out += String(c); return true; });
  const spyErr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'bench', '--home', home, 'image', ...args]);
  } finally {
    spyOut.mockRestore();
    spyErr.mockRestore();
  }
  return out;
}
