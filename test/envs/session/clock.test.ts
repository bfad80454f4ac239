import { describe, it, expect } from 'vitest';
import { ClockTracker, clockOffset, parseClockReply } from '../../../src/envs/session/clock.js';

describe('clock offset of an instance (Cristian)', () => {
  it('takes the read with the shortest round trip: midpoint offset, half that trip as its bound', () => {
    const reads = [
      { sentNs: 1_000n, instanceNs: 50_900n, receivedNs: 3_000n }, // trip 2000: offset 48_900
      { sentNs: 10_000n, instanceNs: 60_300n, receivedNs: 10_600n }, // trip 600: offset 50_000
      { sentNs: 20_000n, instanceNs: 75_000n, receivedNs: 29_000n }, // trip 9000
    ];
    expect(clockOffset(reads)).toEqual({ offsetNs: 50_000n, uncertaintyNs: 300n, reads: 3 });
    // An instance clock behind the host's gives a negative offset.
    expect(clockOffset([{ sentNs: 5_000n, instanceNs: 1_000n, receivedNs: 5_200n }])?.offsetNs).toBe(-4_100n);
  });

  it('ignores a read whose reply came "before" its request, and has nothing without reads', () => {
    expect(clockOffset([])).toBeUndefined();
    expect(clockOffset([{ sentNs: 10n, instanceNs: 5n, receivedNs: 9n }])).toBeUndefined();
  });

  it('finds only its own token\'s reply, at a line start', () => {
    const text = 'noise isobench.clock clock-1 5\nisobench.clock clock-2 77\r\nisobench.clock clock-1 123456789012\n';
    expect(parseClockReply(text, 'clock-1')).toBe(123456789012n);
    expect(parseClockReply(text, 'clock-2')).toBe(77n);
    expect(parseClockReply('isobench.clock clock-3 1', 'clock-3')).toBeUndefined(); // no line end yet
  });

  it('a tracker keeps the last reads only: an old fast read leaves the window', () => {
    const t = new ClockTracker(2);
    expect(t.offset()).toBeUndefined();
    t.add({ sentNs: 0n, instanceNs: 100n, receivedNs: 2n }); // trip 2: offset 99
    t.add({ sentNs: 10n, instanceNs: 120n, receivedNs: 20n }); // trip 10: offset 105
    expect(t.offset()?.offsetNs).toBe(99n);
    t.add({ sentNs: 30n, instanceNs: 140n, receivedNs: 36n }); // trip 6: offset 107; the first read is gone
    expect(t.size).toBe(2);
    expect(t.offset()).toEqual({ offsetNs: 107n, uncertaintyNs: 3n, reads: 2 });
  });
});
