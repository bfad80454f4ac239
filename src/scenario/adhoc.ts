/**
 * `bench run --command 'CMD'`: a throw-away `command` scenario per command,
 * with no YAML, like hyperfine's arguments. The command line is split into
 * argv with shell quoting rules (quotes, backslashes) but is not run through
 * a shell, so the image needs no /bin/sh unless the command names one.
 */
import { ConfigError } from '../core/errors.js';
import { environmentNames } from '../envs/registry.js';
import { SCENARIO_DEFAULTS, type Scenario } from './schema.js';
import { commandWorkload, commandParams } from './workloads/command.js';
import type { Workload } from './workloads/types.js';

/** Splits a command line into words as sh would (no expansion): '...', "..." with \\ escapes, bare \\. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined; else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1]!)) cur += line[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c; inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i]; inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = ''; inWord = false;
    } else {
      cur += c; inWord = true;
    }
  }
  if (quote) throw new ConfigError('OPTION_INVALID', `--command: unterminated ${quote} quote in ${JSON.stringify(line)}`);
  if (inWord) words.push(cur);
  return words;
}

/** One scenario per --command, named command-1, command-2... in the order given. */
export function adhocScenarios(commands: readonly string[], image: string | undefined): Scenario[] {
  return commands.map((text, i) => {
    const argv = splitCommandLine(text);
    if (argv.length === 0) throw new ConfigError('OPTION_INVALID', `--command ${i + 1} is empty`);
    const params = commandParams.parse({ argv });
    const specs = commandWorkload.metricsFor!(params);
    return {
      name: `command-${i + 1}`,
      description: text,
      file: '(bench run --command)',
      workload: { type: 'command', params: params as unknown as Record<string, unknown> },
      definition: commandWorkload as unknown as Workload<Record<string, unknown>>,
      metrics: specs.metrics,
      primaryMetric: specs.metrics.find((m) => m.name === specs.primary)!,
      environments: environmentNames(),
      rounds: SCENARIO_DEFAULTS.rounds,
      warmup: SCENARIO_DEFAULTS.warmup,
      timeoutSeconds: SCENARIO_DEFAULTS.timeoutSeconds,
      limits: {},
      ...(image ? { image } : {}),
    };
  });
}
