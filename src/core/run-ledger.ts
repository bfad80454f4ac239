import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HomePaths } from './home.js';

/**
 * What a run made that outlives its process if the process is SIGKILLed:
 * the run dir's ledger is appended to BEFORE a mount is made or a volume is
 * created, and right after a helper process is spawned (its pid is only
 * known then), so `bench gc` can undo exactly that and nothing else.
 * One JSON object per line; a torn last line (killed mid-append) is skipped.
 */
export type LedgerEntry =
  | { kind: 'mount'; target: string; source: string }
  | { kind: 'process'; pid: number; start: string; argv: string[] }
  | { kind: 'volume'; name: string }
  | { kind: 'temp'; path: string };

export const LEDGER_FILE = 'ledger.jsonl';

export function runDirOf(home: HomePaths, runId: string): string {
  return path.join(home.runs, runId);
}

/** Appends one entry and fsyncs it: it must be on disk before the thing it names exists. */
export function recordInLedger(runDir: string, entry: LedgerEntry): void {
  const file = path.join(runDir, LEDGER_FILE);
  mkdirSync(runDir, { recursive: true });
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
  const fd = openSync(file, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

export function readLedger(runDir: string): LedgerEntry[] {
  let text: string;
  try { text = readFileSync(path.join(runDir, LEDGER_FILE), 'utf8'); } catch { return []; }
  const out: LedgerEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as LedgerEntry;
      if (e && typeof e === 'object' && typeof (e as { kind?: unknown }).kind === 'string') out.push(e);
    } catch { /* a line torn by a kill mid-append */ }
  }
  return out;
}

/** A sink for ledger entries; NO_LEDGER where nothing outlives the caller (tests, one-off tools). */
export type Ledger = (entry: LedgerEntry) => void;
export const NO_LEDGER: Ledger = () => {};

export function ledgerFor(runDir: string): Ledger {
  return (entry) => recordInLedger(runDir, entry);
}
