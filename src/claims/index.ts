export { CATALOGUE } from './catalogue.js';
export { judgeClaims, verdictCounts } from './judge-all.js';
export { SPEED_THRESHOLDS, ciAgainstMargin, bandText } from './thresholds.js';
export type { Band } from './thresholds.js';
export type { ClaimSpec, Judge, Judgement } from './judgement.js';
export { ISOLATION_PARTS } from './judge-isolation.js';
export { renderVerdictsMarkdown } from './verdicts-markdown.js';
