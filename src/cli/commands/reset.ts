import type { Command } from 'commander';
import type { RegisterCommand } from './index.js';

export const register: RegisterCommand = (program) => {
  program.command('reset')
    .description('delete this home safely: gc, unmount everything under it, then remove it (never rm -rf a home a run may have left mounts in)')
    .option('--json', 'machine-readable report')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals() as { home?: string };
      const [{ resolveHome }, { resetHome }] = await Promise.all([import('../../core/home.js'), import('../../measure/reset-home.js')]);
      const r = await resetHome(resolveHome(g.home));
      if (o.json) { process.stdout.write(JSON.stringify({ ...r, gc: { ...r.gc } }, null, 2) + '\n'); return; }
      process.stdout.write(`removed ${r.removed} (gc: ${r.gc.runs.removed.length} run dir(s), ${r.gc.runs.killed.length + r.gc.vms.killed.length} process(es); ${r.unmounted.length} mount(s) unmounted)\n`);
    });
};
