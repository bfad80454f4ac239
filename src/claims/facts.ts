import type { RunResults } from '../results/types.js';

/**
 * The shapes of results.facts the judges read. Phases that measure these
 * facts (engine: issue 3; registry, volumes, network: issue 7; portability:
 * issue 6) write them under these keys; every field is optional and the
 * judges say "could not judge here" for what is missing.
 */
/**
 * As written by the engine-facts phase (src/measure/phases/engine-facts.ts):
 * N containers from one image at once, what each added on disk, whether any
 * image file was copied up, and the snapshot tree hash before/after.
 */
export interface EngineFacts {
  status?: 'ok' | 'failed' | 'skipped';
  reason?: string;
  /** How many containers of one image were started together. */
  containers?: number;
  /** All of them were running at the same moment. */
  allRunningAtOnce?: boolean;
  /** Bytes each container added on disk (its rw/upper dir), one per container. */
  rwBytes?: number[];
  /** Total bytes of the image's layer directories (what a copy would have cost per container). */
  imageBytes?: number;
  /** Bytes of image files found copied into any rw layer; 0 = nothing of the image was copied. */
  copiedImageBytes?: number;
  /** The image's layer directories were byte-identical before and after the containers ran. */
  snapshotsUnchanged?: boolean;
  /** Two containers could not see each other (a container-to-container test, when one runs). */
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

/** results.facts.engine, read field by field (nothing is trusted to be there). */
export function engineFacts(r: RunResults): EngineFacts | undefined {
  const o = obj(r.facts?.engine);
  if (!o) return undefined;
  const f: EngineFacts = {};
  const status = pick(o, ['status'], isStr);
  if (status === 'ok' || status === 'failed' || status === 'skipped') f.status = status;
  const reason = pick(o, ['reason'], isStr);
  if (reason !== undefined) f.reason = reason;
  const containers = pick(o, ['concurrent', 'containers'], isNum);
  if (containers !== undefined) f.containers = containers;
  const atOnce = pick(o, ['allRunningAtOnce'], isBool);
  if (atOnce !== undefined) f.allRunningAtOnce = atOnce;
  const rw = pick(o, ['rwBytesPerContainer', 'rwBytes'], isNumArr);
  if (rw && rw.length) f.rwBytes = rw;
  for (const k of ['imageBytes', 'copiedImageBytes'] as const) {
    const v = pick(o, [k], isNum);
    if (v !== undefined) f[k] = v;
  }
  for (const k of ['snapshotsUnchanged', 'separated'] as const) {
    const v = pick(o, [k], isBool);
    if (v !== undefined) f[k] = v;
  }
  const detail = pick(o, ['detail'], isStr);
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
