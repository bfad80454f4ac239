import type { Command } from 'commander';
import { resolveHome } from '../../core/home.js';
import type { RegisterCommand } from './index.js';
import { gcAll } from '../../measure/gc-all.js';

export const register: RegisterCommand = (program, setExitCode) => {
  program.command('gc')
    .description('remove what crashed runs left in this home: recorded helper and QEMU processes, container mounts/cgroups/rw layers/network, chroot mounts and run dirs, run volumes, temp files of dead writers, a stale run lock, unreferenced blobs')
    .option('--json', 'machine-readable report')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals() as { home?: string };
      const r = await gcAll(resolveHome(g.home));
      if (r.errors.length > 0) setExitCode(1);
      if (o.json) { process.stdout.write(JSON.stringify(r, null, 2) + '\n'); return; }
      const e = r.engine;
      process.stdout.write(
        `removed ${e.containers.length} container(s), ${e.groups.length} group(s), ${e.cgroups.length} orphan cgroup(s), `
        + `${e.unmounted.length + r.runs.unmounted.length} mount(s), ${r.vms.killed.length} QEMU process(es), `
        + `${r.runs.removed.length} run dir(s), ${r.runs.killed.length} helper process(es), ${r.runs.volumes.length} run volume(s), `
        + `${r.runs.temps.length + r.temps.length} temp file(s), ${r.blobs.length} unreferenced blob(s)\n`);
      for (const x of r.runtimes) process.stdout.write(`stopped/removed: ${x}\n`);
      for (const k of [...e.kept, ...r.vms.kept, ...r.runs.kept]) process.stdout.write(`kept (in use): ${k}\n`);
      for (const err of r.errors) process.stderr.write(`gc step failed: ${err}\n`);
    });
};
