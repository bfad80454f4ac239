import type { RunResults } from '../results/types.js';

/**
 * The shapes of results.facts the judges read. Phases that measure these
 * facts (engine: issue 3; registry, volumes, network: issue 7; portability:
 * issue 6) write them under these keys; every field is optional and the
 * judges say "could not judge here" for what is missing.
 */
export interface EngineFacts {
  /** How many containers of one image ran at the same time. */
  containers?: number;
  /** Whether they were all running at once (not one after another). */
  concurrent?: boolean;
  /** Bytes each container added on disk (its rw/upper dir), one per container. */
  rwBytes?: number[];
  /** Total bytes of the image's layer directories (what a copy would have cost per container). */
  imageBytes?: number;
  /** The image's layer directories were byte-identical before and after the containers ran. */
  snapshotsUnchanged?: boolean;
  /** Two containers could not see each other's processes / files / IPC (engine-level separation test). */
  separated?: boolean;
  detail?: string;
}

/** As written by the registry phase (src/measure/phases/registry.ts, engine/registry/round-trip.ts). */
export interface RegistryFacts {
  status?: 'ok' | 'skipped' | 'failed';
  reason?: string;
  error?: { message?: string };
  /** e.g. "docker-registry (distribution 2.x) on loopback" */
  server?: string;
  registry?: string;
  pushedDigest?: string;
  pulledDigest?: string;
  identical?: boolean;
  ranAfter?: boolean;
  ranDetail?: string;
}

export interface VolumeFacts {
  /** Data written by one container in a volume was read by a second after the first was removed. */
  persisted?: boolean;
  detail?: string;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function pick<T>(o: Record<string, unknown>, keys: string[], test: (v: unknown) => v is T): T | undefined {
  for (const k of keys) if (test(o[k])) return o[k] as T;
  return undefined;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNumArr = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNum);

/** results.facts.engine, tolerating the obvious synonyms a phase might use. */
export function engineFacts(r: RunResults): EngineFacts | undefined {
  const o = obj(r.facts?.engine);
  if (!o) return undefined;
  const rw = pick(o, ['rwBytes', 'upperBytes', 'rwLayerBytes'], isNumArr);
  const one = pick(o, ['rwBytesPerContainer', 'upperBytesPerContainer'], isNum);
  const f: EngineFacts = {};
  const containers = pick(o, ['containers', 'containerCount', 'count'], isNum);
  if (containers !== undefined) f.containers = containers;
  const concurrent = pick(o, ['concurrent', 'simultaneous', 'atOnce'], isBool);
  if (concurrent !== undefined) f.concurrent = concurrent;
  if (rw) f.rwBytes = rw;
  else if (one !== undefined && containers !== undefined) f.rwBytes = Array.from({ length: containers }, () => one);
  const imageBytes = pick(o, ['imageBytes', 'snapshotBytes', 'layerBytes'], isNum);
  if (imageBytes !== undefined) f.imageBytes = imageBytes;
  const unchanged = pick(o, ['snapshotsUnchanged', 'imageUnchanged', 'layersUnchanged'], isBool);
  if (unchanged !== undefined) f.snapshotsUnchanged = unchanged;
  const separated = pick(o, ['separated', 'containersSeparated'], isBool);
  if (separated !== undefined) f.separated = separated;
  const detail = pick(o, ['detail', 'description'], isStr);
  if (detail !== undefined) f.detail = detail;
  return f;
}

export function registryFacts(r: RunResults): RegistryFacts | undefined {
  const o = obj(r.facts?.registry);
  return o ? (o as RegistryFacts) : undefined;
}

export function volumeFacts(r: RunResults): VolumeFacts | undefined {
  const o = obj(r.facts?.volumes) ?? obj(r.facts?.volume);
  return o ? (o as VolumeFacts) : undefined;
}
