#!/usr/bin/env node
// Prints the plain closing line CI readers understand ("N passed, N failed, N skipped")
// from vitest's JSON report, so a run that executed no test is visible as such.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-output/vitest-results.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.error(`test-summary: cannot read ${file}: ${err.message}`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
for (const suite of report.testResults ?? []) {
  for (const t of suite.assertionResults ?? []) {
    if (t.status === 'failed') console.log(`FAILED: ${suite.name.replace(process.cwd() + '/', '')} > ${t.fullName}`);
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
