import { describe, expect, it } from 'vitest';
import { welchCI, studentTQuantile, studentTCdf, normalCdf, lnGamma, incompleteBeta } from '../../src/stats/index.js';

describe('Student t', () => {
  it('quantiles match scipy.stats.t.ppf', () => {
    // python3 -c 'import scipy.stats as st; print(st.t.ppf(0.975,5), st.t.ppf(0.975,12.3), ...)'
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.5705818356363146, 8);
    expect(studentTQuantile(0.975, 12.3)).toBeCloseTo(2.172933481758962, 8);
    expect(studentTQuantile(0.95, 2)).toBeCloseTo(2.9199855803537242, 8);
    expect(studentTQuantile(0.995, 30)).toBeCloseTo(2.7499956535672254, 8);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174694, 7);
    expect(studentTQuantile(0.6, 3.5)).toBeCloseTo(0.27326545405577973, 8);
    expect(studentTQuantile(0.025, 5)).toBeCloseTo(-2.5705818356363146, 8);
  });

  it('CDF, lnGamma, incomplete beta and normal CDF match scipy/math', () => {
    expect(studentTCdf(1.7, 4.2)).toBeCloseTo(0.9195304334676936, 9);
    expect(studentTCdf(-2.3, 9)).toBeCloseTo(0.023499694460931576, 9);
    expect(lnGamma(0.5)).toBeCloseTo(0.5723649429247004, 12);
    expect(lnGamma(10.3)).toBeCloseTo(13.48203678613836, 10);
    expect(incompleteBeta(0.3, 2.5, 0.5)).toBeCloseTo(0.018927124071945658, 10); // st.beta.cdf(0.3,2.5,0.5)
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 6);
    expect(normalCdf(-0.5)).toBeCloseTo(0.3085375387259869, 6);
  });
});

describe('welchCI', () => {
  const base = [10.1, 9.8, 10.4, 10.0, 9.9, 10.3];
  const next = [11.0, 11.6, 10.7, 11.9, 11.2, 11.4, 10.9, 11.8];

  it('difference of means matches scipy ttest_ind(equal_var=False).confidence_interval', () => {
    // r = st.ttest_ind(next, base, equal_var=False); r.df = 11.06991896056579;
    // r.confidence_interval(0.95) = (0.8316354592012507, 1.6266978741320814); diff = 1.229166666666666
    const w = welchCI(base, next);
    expect(w.diff.estimate).toBeCloseTo(1.229166666666666, 12);
    expect(w.diff.df).toBeCloseTo(11.06991896056579, 10);
    expect(w.diff.lo).toBeCloseTo(0.8316354592012507, 8);
    expect(w.diff.hi).toBeCloseTo(1.6266978741320814, 8);
  });

  it('ratio of means by the log-scale delta method (formula written out in numpy)', () => {
    // la = var(b)/(nb*mb^2); ln = var(n)/(nn*mn^2); se = sqrt(la+ln); df = (la+ln)^2/(la^2/(nb-1)+ln^2/(nn-1))
    // R = mn/mb = 1.1219008264462809; R*exp(-+t(0.975,df)*se) = 1.0820427151086023, 1.1632271506532152; df = 11.5714447
    const w = welchCI(base, next);
    expect(w.ratio?.estimate).toBeCloseTo(1.1219008264462809, 12);
    expect(w.ratio?.df).toBeCloseTo(11.571444727462092, 9);
    expect(w.ratio?.lo).toBeCloseTo(1.0820427151086023, 8);
    expect(w.ratio?.hi).toBeCloseTo(1.1632271506532152, 8);
  });

  it('needs two values per group; no ratio for non-positive means; zero variance gives a point', () => {
    expect(() => welchCI([1], [1, 2])).toThrow(/at least 2 values/);
    expect(welchCI([-1, -2], [1, 2]).ratio).toBeUndefined();
    const p = welchCI([2, 2], [3, 3]);
    expect(p.diff).toMatchObject({ estimate: 1, lo: 1, hi: 1 });
    expect(p.ratio).toMatchObject({ estimate: 1.5, lo: 1.5, hi: 1.5 });
  });
});
