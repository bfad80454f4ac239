import crypto from 'node:crypto';

/** UTC timestamp (sortable, filename-safe) + short random suffix: 20261127T190512Z-3f9a1c. */
export function makeRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}

/** Fresh per-run ready token: random so no stale output can be mistaken for it. */
export function makeToken(): string {
  return `isobench-ready-${crypto.randomBytes(8).toString('hex')}`;
}
