import { describe, it, expect } from 'vitest';
import { mkdtemp, rm, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bootIdentity, cachedVerdict, reprobeRequested, verdictKey, verdictOrigin, VERDICT_MAX_AGE_MS } from '../../src/envs/verdict-cache.js';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'isobench-verdict-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

describe('verdict cache', () => {
  it('reads this boot\'s id and kernel release', () => {
    const b = bootIdentity();
    expect(b.kernelRelease).toBe(os.release());
    expect(b.bootId).toMatch(/^[0-9a-f-]{36}$|^unknown$/);
  });

  it('keys by every part, whatever their order', () => {
    expect(verdictKey({ a: '1', b: '2' })).toBe(verdictKey({ b: '2', a: '1' }));
    expect(verdictKey({ a: '1', b: '2' })).not.toBe(verdictKey({ a: '1', b: '3' }));
  });

  it('serves a stored verdict with the date of its probe, and probes again on a new key, on --reprobe and when too old', () => withDir(async (dir) => {
    const file = path.join(dir, 'sub', 'probe.json');
    let t = new Date('2026-03-01T10:00:00Z');
    let probes = 0;
    const compute = async () => ({ platform: `p${++probes}` });
    const first = await cachedVerdict(file, { bootId: 'b1' }, compute, { now: () => t });
    t = new Date('2026-03-01T11:00:00Z');
    const second = await cachedVerdict(file, { bootId: 'b1' }, compute, { now: () => t });
    expect(first).toMatchObject({ cached: false, probedAt: '2026-03-01T10:00:00.000Z', value: { platform: 'p1' } });
    expect(second).toMatchObject({ cached: true, probedAt: '2026-03-01T10:00:00.000Z', value: { platform: 'p1' } });
    expect(verdictOrigin(second)).toMatch(/^cached: probed at 2026-03-01T10:00:00.000Z .*ISOBENCH_REPROBE=1/);
    expect(verdictOrigin(first)).toMatch(/^probed in this run/);
    expect((await cachedVerdict(file, { bootId: 'b2' }, compute, { now: () => t })).value.platform).toBe('p2');
    expect((await cachedVerdict(file, { bootId: 'b1' }, compute, { now: () => t, fresh: true })).value.platform).toBe('p3');
    t = new Date(t.getTime() + VERDICT_MAX_AGE_MS + 1);
    const old = await cachedVerdict(file, { bootId: 'b1' }, compute, { now: () => t });
    expect(old).toMatchObject({ cached: false, value: { platform: 'p4' } });
    // Entries past the age limit are dropped when the file is written.
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')) as object)).toEqual([verdictKey({ bootId: 'b1' })]);
  }));

  it('treats a corrupt file as empty and rewrites it', () => withDir(async (dir) => {
    const file = path.join(dir, 'probe.json');
    await writeFile(file, '{not json');
    const v = await cachedVerdict(file, { k: '1' }, async () => 42);
    expect(v).toMatchObject({ cached: false, value: 42 });
    expect((await cachedVerdict(file, { k: '1' }, async () => 43)).value).toBe(42);
  }));

  it('honours --reprobe and ISOBENCH_REPROBE', () => {
    expect(reprobeRequested(undefined, {})).toBe(false);
    expect(reprobeRequested(true, {})).toBe(true);
    expect(reprobeRequested(undefined, { ISOBENCH_REPROBE: '1' })).toBe(true);
    expect(reprobeRequested(false, { ISOBENCH_REPROBE: '0' })).toBe(false);
  });
});
