/**
 * The import graph between the rooms of src/ (its top-level folders), read
 * from the source text. Two uses:
 *   - the one-way rule of the engine: src/engine imports only src/engine and
 *     src/core (test/architecture/imports.test.ts runs engineViolations());
 *   - `npx tsx scripts/imports.ts` prints every room-to-room arrow, with the
 *     ones that point back up marked, so a change can show them before/after.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ImportEdge {
  /** Importing file, relative to the source root. */
  from: string;
  /** Imported file, relative to the source root (resolved from the specifier). */
  to: string;
  line: number;
}

/**
 * Rooms from the bottom up. An arrow is "back up" when it goes from a room
 * to one listed later: a lower room reaching into a higher one.
 */
export const ROOM_ORDER = ['core', 'stats', 'native', 'engine', 'image', 'results', 'envs', 'scenario', 'probe', 'claims', 'measure', 'report', 'cli'] as const;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// Static imports/exports (`from '...'`), side-effect imports and dynamic import('...').
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

/** Every relative import of every source file under root. */
export function importEdges(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(root)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const m of text.matchAll(SPECIFIER)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec);
        edges.push({ from: path.relative(root, file), to: path.relative(root, target), line: i + 1 });
      }
    });
  }
  return edges;
}

export const roomOf = (rel: string): string => rel.split(path.sep)[0]!;

/** Imports from src/engine to anything outside src/engine and src/core (including outside the source root). */
export function engineViolations(root: string): ImportEdge[] {
  return importEdges(root).filter((e) => roomOf(e.from) === 'engine' && !['engine', 'core'].includes(roomOf(e.to)));
}

/** Distinct room -> room arrows with how many imports make each, and whether it points back up. */
export function roomArrows(root: string): { from: string; to: string; imports: number; backUp: boolean }[] {
  const counts = new Map<string, number>();
  for (const e of importEdges(root)) {
    const a = roomOf(e.from);
    const b = roomOf(e.to);
    if (a === b || a.includes('.') || b.includes('.')) continue;
    const k = `${a} ${b}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const rank = (r: string): number => {
    const i = (ROOM_ORDER as readonly string[]).indexOf(r);
    return i < 0 ? ROOM_ORDER.length : i;
  };
  return [...counts]
    .map(([k, imports]) => {
      const [from, to] = k.split(' ') as [string, string];
      return { from, to, imports, backUp: rank(to) > rank(from) };
    })
    .sort((x, y) => rank(x.from) - rank(y.from) || rank(x.to) - rank(y.to));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? 'src');
  for (const a of roomArrows(root)) console.log(`${a.backUp ? 'BACK-UP ' : '        '}${a.from} -> ${a.to} (${a.imports})`);
  const v = engineViolations(root);
  for (const e of v) console.log(`engine rule: ${e.from}:${e.line} imports ${e.to}`);
  process.exitCode = v.length ? 1 : 0;
}
