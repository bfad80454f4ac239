/**
 * Turns zod issues and YAML parse errors into ScenarioIssues that point at a
 * line and column of the file. Positions come from the YAML CST
 * (parseDocument keeps node ranges; LineCounter maps offsets to line:col).
 */
import path from 'node:path';
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type YAMLError } from 'yaml';
import type * as z from 'zod';
import type { ScenarioIssue } from './errors.js';

export type PathSegment = string | number;

/** Path as a user writes it: workload.params.maxPrime, environments[1]. */
export function formatPath(p: readonly PathSegment[]): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** Relative to the working directory when the file is below it (shorter, clickable in terminals). */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(file);
}

/**
 * Line/column of the deepest node on `p` that exists. With `atKey`, the last
 * segment's key is pointed at instead of its value (unknown fields, and
 * values left empty).
 */
export function locate(doc: Document, lc: LineCounter, p: readonly PathSegment[], atKey = false): { line: number; column: number } {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (let i = 0; i < p.length; i++) {
    const seg = p[i];
    if (isMap(node)) {
      const pair = node.items.find((it) => (isScalar(it.key) ? it.key.value === seg : it.key === seg));
      if (!pair) break;
      const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      const last = i === p.length - 1;
      const valueNode = pair.value as Node | null;
      if ((last && atKey) || !valueNode?.range) {
        offset = keyOffset ?? offset;
        node = valueNode;
        if (!valueNode?.range) break;
        continue;
      }
      offset = valueNode.range[0];
      node = valueNode;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item?.range) break;
      offset = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  const pos = lc.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** What the user wrote, briefly: strings quoted, collections named. */
export function showValue(v: unknown): string {
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

interface RawIssue {
  path: PathSegment[];
  message: string;
  atKey: boolean;
}

const SHOW_INPUT = new Set(['invalid_type', 'invalid_union', 'invalid_value', 'too_small', 'too_big', 'invalid_format', 'not_multiple_of']);

function hasValueAt(data: unknown, p: readonly PathSegment[]): boolean {
  let cur: unknown = data;
  for (const seg of p) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, seg)) return false;
    cur = (cur as Record<PathSegment, unknown>)[seg];
  }
  return cur !== undefined;
}

/**
 * A union ("all" or a list) fails in every branch; report the branch that got
 * furthest (its issues are deeper than a type mismatch at the union itself),
 * otherwise the union's own message.
 */
function flatten(issues: readonly z.core.$ZodIssue[], prefix: PathSegment[], data: unknown): RawIssue[] {
  const out: RawIssue[] = [];
  for (const iss of issues) {
    const p = [...prefix, ...(iss.path as PathSegment[])];
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) out.push({ path: [...p, key], message: iss.message, atKey: true });
      continue;
    }
    if (iss.code === 'invalid_union') {
      const deep = iss.errors.filter((branch) => !branch.every((b) => b.path.length === 0 && (b.code === 'invalid_type' || b.code === 'invalid_value')));
      if (deep.length === 1) {
        out.push(...flatten(deep[0] as z.core.$ZodIssue[], p, data));
        continue;
      }
    }
    if (!hasValueAt(data, p)) {
      out.push({ path: p, message: `required field is missing (${iss.message})`, atKey: true });
      continue;
    }
    const input = (iss as { input?: unknown }).input;
    const got = SHOW_INPUT.has(iss.code) && 'input' in iss ? `, got ${showValue(input)}` : '';
    out.push({ path: p, message: iss.message + got, atKey: input === null });
  }
  return out;
}

export function issuesFromZod(
  error: z.ZodError,
  prefix: PathSegment[],
  data: unknown,
  doc: Document,
  lc: LineCounter,
  file: string,
): ScenarioIssue[] {
  return flatten(error.issues, prefix, data).map((r) => ({
    file,
    ...locate(doc, lc, r.path, r.atKey),
    path: formatPath(r.path),
    message: r.message,
  }));
}

export function issuesFromYaml(errors: readonly YAMLError[], file: string): ScenarioIssue[] {
  return errors.map((e) => {
    const pos = e.linePos?.[0];
    // yaml's message repeats the position and appends a source excerpt; keep the first clause.
    const first = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
    return { file, line: pos?.line ?? 1, column: pos?.col ?? 1, path: '', message: `YAML syntax error: ${first}` };
  });
}
