export { claimsOf, isolationOf, portabilityOf, otherFacts, envOrder, envResult, okEnv, acceleratorOf, envLabel, metricValues, startupScenario } from './access.js';
export { fmtNum, fmtMs, fmtValue, fmtRatio, fmtR, fmtCI, fmtPct, fmtBytes, shortDigest, shellLine } from './format.js';
export { buildSeedTable, notJudgedText, verdictCounts, artifactClaims, SEED_ROWS, SEED_COLUMNS, SEED_TEXT, COLUMN_TITLES, VERDICT_LABEL, type SeedCell, type SeedRow, type SeedColumn } from './seed-table.js';
export { collectWarnings, type ReportWarning } from './warnings.js';
export { speedTable, speedCell, speedScenarios, comparedEnvs, notComparableReason, type SpeedCell } from './speed.js';
export { startupView, LOG_AXIS_SPREAD, type StartupView, type StartupSeries } from './startup.js';
export { STOP_TEXT, ISOLATION_MARK, SEED_MARK, startupTable, speedMatrix, mediansTable, isolationMatrix, portabilityTable, factsTable, factText, manifestTable, environmentsTable, imageTable, commandLines, runHow, OUTCOME_LABEL, type Table, type Cell, type Tone } from './tables.js';
export { summaryRows, summaryTable, sectionSentences, type SummaryRow } from './summary.js';
export { userImagesTable, commandMetricsTable, userImageScenarios, commandScenarios } from './user-command.js';
