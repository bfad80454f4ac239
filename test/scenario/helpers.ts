import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A scratch scenario directory; call cleanup() in afterEach/afterAll. */
export function scratchScenarioDir(files: Record<string, string> = {}): { dir: string; write: (name: string, text: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'isobench-scenario-test-'));
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs fn, expects it to reject, returns the error. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error & { code?: string; issues?: unknown[] }> {
  try {
    await fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection, got success');
}
