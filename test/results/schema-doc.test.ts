import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESULTS_SCHEMA_DOC, renderResultsSchemaDoc } from '../../scripts/results-schema-doc.js';
import { FACT_SCHEMAS } from '../../src/results/facts/index.js';

describe('docs/results-schema.md', () => {
  it('is what the schemas generate (run `npm run docs:schema` after changing src/results)', () => {
    expect(readFileSync(RESULTS_SCHEMA_DOC, 'utf8')).toBe(renderResultsSchemaDoc());
  });

  it('documents every fact and every part of the top level', () => {
    const doc = renderResultsSchemaDoc();
    for (const k of Object.keys(FACT_SCHEMAS)) expect(doc).toContain(`\`facts.${k}\``);
    for (const k of ['schemaVersion', 'scenarios', 'environments', 'isolation', 'claims', 'facts', 'warnings']) expect(doc).toContain(`| \`${k}\` |`);
  });
});
