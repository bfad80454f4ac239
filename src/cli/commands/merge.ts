import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';

interface MergeOpts {
  out?: string;
  fromLogs?: boolean;
  dryRun?: boolean;
}

export function register(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('merge')
    .description('merge runs from several hosts into one cross-host report (merged.json, merged.md, merged.html): manifest diff, ratios to each own host, differing verdicts')
    .argument('[results...]', 'results.json files or run folders, one per host run (duplicates of a host are kept as repeat runs)')
    .option('--out <dir>', 'folder to write merged.json, merged.md and merged.html into', 'merged')
    .option('--from-logs', 'the inputs are pod logs holding "ISOBENCH-RESULTS-B64 <base64>" lines (deploy/kubernetes)')
    .option('--dry-run', 'read and check the inputs, print the hosts, write nothing')
    .action(async (files: string[], opts: MergeOpts) => {
      if (!files.length) throw new ConfigError('MERGE_INPUT', 'bench merge needs at least one results file (results.json, a run folder, or with --from-logs a pod log)');
      // Loaded when merge runs: every command module is imported at start-up (see ./index.ts).
      const { loadMergeInputs, mergeResults, writeMerged } = await import('../../report/index.js');
      const inputs = await loadMergeInputs(files, { fromLogs: opts.fromLogs ?? false });
      const merged = mergeResults(inputs);
      if (opts.dryRun) {
        process.stdout.write(`would merge ${merged.hosts.length} runs: ${merged.hosts.map((h) => h.id).join(', ')}\n`);
        setExitCode(0);
        return;
      }
      const out = path.resolve(opts.out ?? 'merged');
      const written = await writeMerged(merged, out);
      for (const f of merged.flags) process.stderr.write(`Warning: ${f}\n`);
      process.stdout.write(`${written.join('\n')}\n`);
      if (merged.differingVerdicts.length) process.stdout.write(`${merged.differingVerdicts.length} claim(s) judged differently across hosts: see ${path.join(out, 'merged.md')}\n`);
      setExitCode(0);
    });
}
