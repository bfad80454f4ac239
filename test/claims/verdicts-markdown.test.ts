import { describe, it, expect } from 'vitest';
import { judgeClaims, renderVerdictsMarkdown } from '../../src/claims/index.js';
import { results, typicalIsolation } from './synthetic.js';

describe('verdicts.md', () => {
  it('passes the gate on the typical picture, shows the matrix and one row per sentence', () => {
    const r = results({ isolation: typicalIsolation() });
    r.claims = judgeClaims(r);
    const md = renderVerdictsMarkdown(r);
    expect(md).toContain('**Gate: PASS**');
    expect(md).toContain('| chroot-escape | – n/a | ✗ contradicts | ✓ as claimed | ✓ as claimed |');
    expect(md).toContain('**chroot-escape @ chroot**');
    expect(md.split('\n').filter((l) => /^\| \d+ \|/.test(l))).toHaveLength(30);
  });

  it('names the regression when our engine contradicts, and keeps pipes from breaking the table', () => {
    const iso = typicalIsolation();
    const c = iso.checks.find((x) => x.env === 'container' && x.check === 'network')!;
    c.outcome = 'contradicts';
    c.observed = 'connected | read the token';
    const r = results({ isolation: iso });
    r.claims = judgeClaims(r);
    const md = renderVerdictsMarkdown(r);
    expect(md).toContain('**Gate: FAIL**');
    expect(md).toContain('- network@container: expected network expected; observed connected | read the token');
    const row = md.split('\n').find((l) => l.includes('Container: isolation of the filesystem'))!;
    expect(row).toContain('**refuted**');
    expect(row.split(/(?<!\\)\|/).length).toBe(8);
  });

  it('says so when the phases did not run', () => {
    const md = renderVerdictsMarkdown(results());
    expect(md).toContain('Gate:** not evaluated');
    expect(md).toContain('The claims phase did not run.');
  });
});
