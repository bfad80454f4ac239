import { judgeClaims, verdictCounts } from '../../claims/index.js';
import type { RunPhase } from './types.js';

/**
 * Judges every sentence of the seed against everything measured before it:
 * it must stay the last phase, since scenarios, isolation, portability and
 * engine facts are all its inputs. Writes results.claims.
 */
export const claimsPhase: RunPhase = {
  name: 'claims',
  async run(ctx) {
    const rows = judgeClaims(ctx.results);
    ctx.results.claims = rows;
    const c = verdictCounts(rows);
    ctx.progress(`claims: ${rows.length} sentences — ${c.confirmed} confirmed, ${c.nuanced} nuanced, ${c.undecided} undecided, ${c.refuted} refuted, ${c['not-judged']} not judged`);
  },
};
