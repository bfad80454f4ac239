import { ConfigError, ProcessError } from '../core/errors.js';

/** One problem in a scenario file, located for the user. */
export interface ScenarioIssue {
  /** File as shown to the user (relative to the working directory when inside it). */
  file: string;
  /** 1-based; 0 when the problem is about the file as a whole (unreadable, missing). */
  line: number;
  column: number;
  /** Field path, e.g. "workload.params.maxPrime" or "environments[1]"; "" for the whole document. */
  path: string;
  message: string;
}

export function formatIssue(i: ScenarioIssue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}:${i.column}` : i.file;
  return i.path ? `${where}: ${i.path}: ${i.message}` : `${where}: ${i.message}`;
}

const HINT = 'Fix the fields named above; scenarios/README.md documents every field and workload type.';

/**
 * All problems found in one or more scenario files, in one error so the user
 * fixes everything in one go instead of one field per run.
 */
export class ScenarioError extends ConfigError {
  readonly issues: ScenarioIssue[];

  constructor(issues: ScenarioIssue[], code = 'SCENARIO_INVALID') {
    const files = [...new Set(issues.map((i) => i.file))];
    const head =
      issues.length === 1
        ? ''
        : `${issues.length} problems in scenario file${files.length > 1 ? 's' : ''} ${files.join(', ')}:\n  `;
    // A file that cannot be read has no fields to fix: its path is what to check.
    const unreadable = issues.every((i) => i.line === 0 && /^cannot read the scenario file/.test(i.message));
    super(code, head + issues.map(formatIssue).join('\n  '), { hint: unreadable ? 'Check the path (relative paths start from the current directory), or give a shipped scenario\'s name.' : HINT });
    this.issues = issues;
  }
}

/**
 * A workload's output did not contain what its parser needs (the program
 * crashed half-way, printed an error, or is a different version). The message
 * names the missing piece and quotes the start of the output.
 */
export class WorkloadOutputError extends ProcessError {
  constructor(workload: string, missing: string, output: string) {
    const excerpt = output.trim() === '' ? '(no output)' : JSON.stringify(output.slice(0, 300));
    super('WORKLOAD_OUTPUT_INVALID', `${workload}: could not find ${missing} in the workload output; output starts with ${excerpt}`, {
      hint: 'Run the command line recorded in results.json by hand inside the environment to see what it printed.',
    });
  }
}
