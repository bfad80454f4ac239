import type { Command } from 'commander';
import { resolveHome } from '../../core/home.js';
import type { RegisterCommand } from './index.js';
import { gcHome } from '../../engine/gc/index.js';

export const register: RegisterCommand = (program) => {
  program.command('gc')
    .description('remove leftover mounts, cgroups, rw layers and state of containers whose process is gone (this home only)')
    .option('--json', 'machine-readable report')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals() as { home?: string };
      const r = await gcHome(resolveHome(g.home));
      if (o.json) { process.stdout.write(JSON.stringify(r, null, 2) + '\n'); return; }
      process.stdout.write(`removed ${r.containers.length} container(s), ${r.groups.length} group(s), ${r.cgroups.length} orphan cgroup(s), ${r.unmounted.length} mount(s)\n`);
      for (const k of r.kept) process.stdout.write(`kept (in use): ${k}\n`);
    });
};
