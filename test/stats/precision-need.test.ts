import { describe, expect, it } from 'vitest';
import { cannotReach, runsForPrecision, sampleGrowthFor, StatsInputError } from '../../src/stats/index.js';

describe('runs needed for a precision target', () => {
  it('grows the sample by the square of the half-width ratio (SE of a median falls as 1/sqrt(n))', () => {
    expect(sampleGrowthFor(0.06, 0.03)).toBeCloseTo(4, 12);
    expect(sampleGrowthFor(0.09, 0.03)).toBeCloseTo(9, 12);
    expect(runsForPrecision(5, 0.06, 0.03)).toBe(20);
    expect(runsForPrecision(7, 0.045, 0.03)).toBe(16); // 7 * 2.25 = 15.75
  });
  it('never asks for fewer runs than were taken', () => {
    expect(sampleGrowthFor(0.01, 0.03)).toBe(1);
    expect(runsForPrecision(12, 0.02, 0.03)).toBe(12);
    expect(runsForPrecision(12, 0, 0.03)).toBe(12);
  });
  it('rejects inputs that have no meaning, naming them', () => {
    expect(() => sampleGrowthFor(Number.NaN, 0.03)).toThrow(StatsInputError);
    expect(() => sampleGrowthFor(0.05, 0)).toThrow(/precision target/);
    expect(() => sampleGrowthFor(Infinity, 0.03)).toThrow(/half-width/);
    expect(() => runsForPrecision(0, 0.05, 0.03)).toThrow(/runs/);
    expect(() => runsForPrecision(2.5, 0.05, 0.03)).toThrow(/runs/);
  });

  it('futility: out of reach when the extra time its spread calls for exceeds the time left', () => {
    // 2 s for ±30%: ±5% takes 36 times the sample, 70 s more.
    expect(cannotReach(2000, 0.3, 0.05, 60_000)).toBe(true);
    expect(cannotReach(2000, 0.3, 0.05, 80_000)).toBe(false);
    // Already at target: nothing more needed, never futile, even with no time left.
    expect(cannotReach(2000, 0.04, 0.05, 0)).toBe(false);
    expect(cannotReach(2000, 0.06, 0.05, -5)).toBe(true);
  });
});
