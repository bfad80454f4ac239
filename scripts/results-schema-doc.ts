/**
 * Generates docs/results-schema.md from the zod schemas of src/results:
 * `npm run docs:schema`. test/results/schema-doc.test.ts fails when the
 * committed file differs from what this prints, so the document cannot
 * drift from the contract.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { RESULTS_SCHEMA_VERSION, runResultsSchema } from '../src/results/run.js';
import { manifestSchema } from '../src/results/manifest.js';
import { imageInfoSchema } from '../src/results/image.js';
import { environmentInfoSchema } from '../src/results/environments.js';
import { scenarioResultSchema, envResultSchema, sampleSchema, summaryStatsSchema, ratioEstimateSchema, metricSpecSchema } from '../src/results/scenarios.js';
import { isolationResultsSchema, checkResultSchema, hostFactsSchema } from '../src/results/isolation.js';
import { claimRowSchema } from '../src/results/claims.js';
import { FACT_SCHEMAS, portabilityEvidenceSchema } from '../src/results/facts/index.js';
import { jsonRecordSchema, jsonSchema } from '../src/results/common.js';

/** Sections of the document: each schema here is described once, and referred to by name elsewhere. */
const PARTS: [title: string, anchor: string, schema: z.ZodType][] = [
  ['results.json (top level)', 'top-level', runResultsSchema],
  ['manifest', 'manifest', manifestSchema],
  ['image', 'image', imageInfoSchema],
  ['environments[]', 'environments', environmentInfoSchema],
  ['scenarios[]', 'scenarios', scenarioResultSchema],
  ['scenarios[].envs[] (by status)', 'env-result', envResultSchema],
  ['metric', 'metric', metricSpecSchema],
  ['sample', 'sample', sampleSchema],
  ['summary statistics', 'summary-stats', summaryStatsSchema],
  ['ratio to the host', 'ratio', ratioEstimateSchema],
  ['isolation', 'isolation', isolationResultsSchema],
  ['isolation.hostFacts', 'host-facts', hostFactsSchema],
  ['isolation.checks[]', 'check', checkResultSchema],
  ['claims[]', 'claim', claimRowSchema],
  ['portability evidence', 'portability-evidence', portabilityEvidenceSchema],
  ...Object.entries(FACT_SCHEMAS).filter(([k]) => k !== 'portability').map(([k, s]): [string, string, z.ZodType] => [`facts.${k}`, `fact-${k}`, s]),
];

function describe(s: z.ZodType): string {
  return s.description ?? '';
}

function unwrap(s: z.ZodType): { inner: z.ZodType; optional: boolean; description: string } {
  let description = describe(s);
  let optional = false;
  let cur = s;
  for (;;) {
    if (cur instanceof z.ZodOptional) { optional = true; cur = cur.unwrap() as z.ZodType; }
    else if (cur instanceof z.ZodDefault) { optional = true; cur = cur.unwrap() as z.ZodType; }
    else break;
    description ||= describe(cur);
  }
  return { inner: cur, optional, description };
}

function typeName(s: z.ZodType, self: z.ZodType): string {
  const part = PARTS.find(([, , p]) => p === s && p !== self);
  if (part) return `[${part[0]}](#${part[1]})`;
  if (s === jsonSchema) return 'JSON value';
  if (s === jsonRecordSchema) return 'map of JSON values';
  if (s instanceof z.ZodOptional || s instanceof z.ZodDefault) return typeName(s.unwrap() as z.ZodType, self);
  if (s instanceof z.ZodNullable) return `${typeName(s.unwrap() as z.ZodType, self)} or null`;
  if (s instanceof z.ZodString) return 'string';
  if (s instanceof z.ZodNumber) return s.isInt ? 'integer' : 'number';
  if (s instanceof z.ZodBoolean) return 'boolean';
  if (s instanceof z.ZodLiteral) return [...s.values].map((v) => JSON.stringify(v)).join(' \\| ');
  if (s instanceof z.ZodEnum) return s.options.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s instanceof z.ZodArray) return `list of ${typeName(s.element as z.ZodType, self)}`;
  if (s instanceof z.ZodRecord) return `map of ${typeName(s.valueType as z.ZodType, self)}`;
  if (s instanceof z.ZodObject) return 'object';
  if (s instanceof z.ZodUnion) return (s.options as z.ZodType[]).map((o) => typeName(o, self)).join(' or ');
  return 'value';
}

function objectRows(obj: z.ZodObject, prefix: string, self: z.ZodType): string[] {
  const rows: string[] = [];
  for (const [key, field] of Object.entries(obj.shape as Record<string, z.ZodType>)) {
    const { inner, optional, description } = unwrap(field);
    const name = `${prefix}${key}`;
    rows.push(`| \`${name}\` | ${typeName(inner, self)} | ${optional ? 'no' : 'yes'} | ${description.replace(/\|/g, '\\|')} |`);
    const isPart = PARTS.some(([, , p]) => p === inner);
    if (!isPart && inner instanceof z.ZodObject) rows.push(...objectRows(inner, `${name}.`, self));
    if (inner instanceof z.ZodArray && inner.element instanceof z.ZodObject && !PARTS.some(([, , p]) => p === inner.element)) rows.push(...objectRows(inner.element, `${name}[].`, self));
  }
  return rows;
}

function section([title, anchor, schema]: [string, string, z.ZodType]): string {
  const out = [`## <a id="${anchor}"></a>${title}`, ''];
  if (describe(schema)) out.push(describe(schema), '');
  const head = ['| field | type | required | meaning |', '|---|---|---|---|'];
  if (schema instanceof z.ZodObject) out.push(...head, ...objectRows(schema, '', schema));
  else if (schema instanceof z.ZodUnion) {
    for (const o of schema.options as z.ZodType[]) {
      if (!(o instanceof z.ZodObject)) continue;
      const status = (o.shape as Record<string, z.ZodType>).status;
      out.push(`### status ${status ? typeName(status, schema) : ''}`, '', ...head, ...objectRows(o, '', schema), '');
    }
  }
  return out.join('\n').trimEnd();
}

export function renderResultsSchemaDoc(): string {
  return [
    '# results.json schema',
    '',
    `<!-- Generated by \`npm run docs:schema\` from the zod schemas in src/results; do not edit by hand. -->`,
    '',
    `Schema version **${RESULTS_SCHEMA_VERSION}**. Every report is rendered from this one file. The reader`,
    '(`src/results/reader.ts`) parses it once against these schemas: older versions are lifted by',
    '`src/results/migrate.ts`, anything else that does not fit is rejected with the path of the first',
    'wrong field. Optional parts are absent when the phase that fills them did not run.',
    '',
    ...PARTS.map((p) => `${section(p)}\n`),
  ].join('\n');
}

export const RESULTS_SCHEMA_DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'results-schema.md');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(RESULTS_SCHEMA_DOC, renderResultsSchemaDoc());
  console.log(`wrote ${path.relative(process.cwd(), RESULTS_SCHEMA_DOC)}`);
}
