import { isCheckName, type CheckName } from './checks.js';
import { jsonRecordSchema, type JsonValue } from '../results/common.js';

/** One JSON line the probe printed: {"check": name, ...raw observations}. */
export interface EvidenceLine {
  check: CheckName;
  [field: string]: JsonValue;
}

export interface ParsedEvidence {
  lines: Map<CheckName, EvidenceLine>;
  /** Output lines that were not evidence (console noise, warnings), kept for debugging. */
  other: string[];
}

/**
 * Picks the evidence lines out of whatever an environment printed: a VM's
 * console interleaves kernel messages and CRs, so only lines that parse as a
 * JSON object with a known "check" count. The last line per check wins.
 */
export function parseEvidence(output: string): ParsedEvidence {
  const lines = new Map<CheckName, EvidenceLine>();
  const other: string[] = [];
  for (const rawLine of output.split('\n')) {
    const line = rawLine.replace(/\r/g, '').trim();
    if (!line) continue;
    const start = line.indexOf('{"check":');
    if (start < 0) { other.push(line); continue; }
    try {
      const obj = jsonRecordSchema.safeParse(JSON.parse(line.slice(start)));
      const check = obj.success ? obj.data.check : undefined;
      if (obj.success && typeof check === 'string' && isCheckName(check)) {
        lines.set(check, { ...obj.data, check });
        continue;
      }
      other.push(line);
    } catch {
      other.push(line);
    }
  }
  return { lines, other };
}

/** Typed field readers: evidence comes from another program, so nothing is trusted to be there. */
export function str(line: EvidenceLine | undefined, key: string): string | undefined {
  const v = line?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function num(line: EvidenceLine | undefined, key: string): number | undefined {
  const v = line?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function bool(line: EvidenceLine | undefined, key: string): boolean | undefined {
  const v = line?.[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function record(line: EvidenceLine | undefined, key: string): Record<string, string> {
  const v = line?.[key];
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

export function strings(line: EvidenceLine | undefined, key: string): string[] | undefined {
  const v = line?.[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

/** The evidence line as one compact string for reports (field order as printed). */
export function evidenceText(line: EvidenceLine | undefined): string {
  return line ? JSON.stringify(line) : '(no evidence line)';
}
