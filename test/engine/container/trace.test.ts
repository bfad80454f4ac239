import { describe, it, expect } from 'vitest';
import { parseShimTrace, medianSteps } from '../../../src/engine/container/trace.js';

describe('shim trace parsing', () => {
  it('reads the nsexec-trace line among other output and drops the zero exec step', () => {
    const t = parseShimTrace('noise\nnsexec-trace dirs=0.142 cgroup=0.180 clone=2.378 exec=0.000 total=2.700\nmore');
    expect(t).toEqual({ dirs: 0.142, cgroup: 0.18, clone: 2.378, total: 2.7 });
    expect(parseShimTrace('nothing here')).toBeNull();
  });

  it('medians per step, even and odd counts', () => {
    expect(medianSteps([{ a: 1, b: 5 }, { a: 3, b: 1 }, { a: 2 }])).toEqual({ a: 2, b: 3 });
  });
});
