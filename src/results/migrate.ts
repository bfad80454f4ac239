import { jsonRecordSchema, type JsonRecord, type JsonValue } from './common.js';

/*
 * Older results.json versions, lifted to the current one before the schema
 * parses them. Each step takes version N to N+1 and changes only what that
 * version changed, so the chain stays readable.
 */

const isRecord = (v: JsonValue | undefined): v is JsonRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

function renameKey(o: JsonRecord, from: string, to: string): void {
  if (from in o && !(to in o)) {
    const v = o[from];
    delete o[from];
    if (v !== undefined) o[to] = v;
  }
}

/**
 * 1 -> 2: version 1 had no schema for isolation, claims and facts; a few
 * early writers used other key names for the same facts. Renamed here; the
 * rest must already fit version 2 or the reader rejects the file.
 */
function v1to2(doc: JsonRecord): JsonRecord {
  const facts = doc.facts;
  if (isRecord(facts)) {
    renameKey(facts, 'volume', 'volumes');
    const engine = facts.engine;
    if (isRecord(engine)) {
      renameKey(engine, 'containers', 'concurrent');
      renameKey(engine, 'rwBytes', 'rwBytesPerContainer');
    }
  }
  return { ...doc, schemaVersion: 2 };
}

const STEPS: Record<number, (doc: JsonRecord) => JsonRecord> = { 1: v1to2 };

/** The oldest version the chain can lift. */
export const OLDEST_MIGRATABLE_VERSION = 1;

/** Lifts a parsed results document of `version` to the current one (a copy; the input is not changed). */
export function migrateResults(doc: JsonRecord, version: number, current: number): JsonRecord {
  let out = jsonRecordSchema.parse(structuredClone(doc));
  for (let v = version; v < current; v++) {
    const step = STEPS[v];
    if (!step) throw new Error(`no migration from results schemaVersion ${v}`);
    out = step(out);
  }
  return out;
}
