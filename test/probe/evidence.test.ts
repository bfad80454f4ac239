import { describe, it, expect } from 'vitest';
import { parseEvidence } from '../../src/probe/evidence.js';

describe('parseEvidence', () => {
  it('keeps known check lines, tolerates CRs and console noise, and keeps the rest aside', () => {
    const out = [
      '[    0.52] random: crng init done\r',
      '{"check":"kernel","boot_id":"abc","release":"6.1"}\r',
      'garbage {"check":"ipc","key":1,"shmget":"ENOENT"}',
      '{"check":"nope","x":1}',
      '{"check":"hostname", broken',
      '',
    ].join('\n');
    const p = parseEvidence(out);
    expect([...p.lines.keys()]).toEqual(['kernel', 'ipc']);
    expect(p.lines.get('kernel')).toMatchObject({ boot_id: 'abc' });
    expect(p.other).toHaveLength(3);
  });

  it('the last line of a check wins', () => {
    const p = parseEvidence('{"check":"ipc","shmget":"ok"}\n{"check":"ipc","shmget":"ENOENT"}\n');
    expect(p.lines.get('ipc')!.shmget).toBe('ENOENT');
  });
});
