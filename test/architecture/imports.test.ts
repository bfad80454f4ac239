import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { engineViolations, roomArrows } from '../../scripts/imports.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

describe('the one-way import rule', () => {
  const dirs: string[] = [];
  afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  it('src/engine imports only src/engine and src/core', () => {
    const v = engineViolations(SRC);
    expect(v.map((e) => `${e.from}:${e.line} imports ${e.to}`)).toEqual([]);
    expect(roomArrows(SRC).some((a) => a.from === 'engine' && a.to === 'core')).toBe(true);
  });

  it('the checker catches a planted violation (static, type-only and dynamic imports)', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'isobench-imports-'));
    dirs.push(root);
    await mkdir(path.join(root, 'engine', 'store'), { recursive: true });
    await mkdir(path.join(root, 'core'), { recursive: true });
    await mkdir(path.join(root, 'image'), { recursive: true });
    await writeFile(path.join(root, 'core', 'errors.ts'), 'export class E {}\n');
    await writeFile(path.join(root, 'image', 'types.ts'), 'export interface ImageRef { name: string }\n');
    await writeFile(path.join(root, 'engine', 'store', 'ok.ts'), "import { E } from '../../core/errors.js';\nimport { x } from './sibling.js';\nimport fs from 'node:fs';\n");
    expect(engineViolations(root)).toEqual([]);
    await writeFile(path.join(root, 'engine', 'store', 'bad.ts'), [
      "import { E } from '../../core/errors.js';",
      "import type { ImageRef } from '../../image/types.js';",
      "export { thing } from '../../results/run.js';",
      "const m = await import('../../report/index.js');",
      '',
    ].join('\n'));
    const v = engineViolations(root).map((e) => `${e.from}:${e.line} -> ${e.to}`);
    expect(v).toEqual([
      'engine/store/bad.ts:2 -> image/types.js',
      'engine/store/bad.ts:3 -> results/run.js',
      'engine/store/bad.ts:4 -> report/index.js',
    ]);
  });
});
