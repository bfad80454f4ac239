import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Decodes the octal escapes (\040 for space ...) the kernel uses in mountinfo paths. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Mount points listed in a mountinfo text, in mount order. */
export function parseMountPoints(text: string): string[] {
  const points: string[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    if (fields.length > 4 && fields[4]) points.push(unescape(fields[4]));
  }
  return points;
}

/** Mount points at or below dir, deepest (most recently mounted) first: the order to unmount them. */
export function mountsUnder(points: string[], dir: string): string[] {
  const root = path.resolve(dir);
  return points
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p === root || p.startsWith(`${root}/`))
    .sort((a, b) => b.i - a.i)
    .map(({ p }) => p);
}

export async function readMountPoints(file = '/proc/self/mountinfo'): Promise<string[]> {
  return parseMountPoints(await readFile(file, 'utf8'));
}
