import type { Command } from 'commander';
import type { HomePaths } from '../../core/home.js';
import type { RegisterCommand } from './index.js';

async function homeOf(cmd: Command): Promise<HomePaths> {
  const { resolveHome } = await import('../../core/home.js');
  return resolveHome((cmd.optsWithGlobals() as { home?: string }).home);
}

const volumes = () => import('../../engine/volumes/index.js');

export const register: RegisterCommand = (program) => {
  const volume = program.command('volume').description('named volumes: directories that outlive containers (mount with bench ctr run -v NAME:/path)');
  volume.command('create').argument('<name>').description('create a named volume')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const v = await (await volumes()).createVolume(await homeOf(cmd), name);
      process.stdout.write(`${v.name}\n`);
    });
  volume.command('ls').description('list volumes').option('--json', 'machine-readable')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const list = await (await volumes()).listVolumes(await homeOf(cmd));
      if (o.json) { process.stdout.write(JSON.stringify(list, null, 2) + '\n'); return; }
      process.stdout.write(['NAME'.padEnd(24), 'SIZE'.padEnd(12), 'USED BY'].join(' ') + '\n');
      for (const v of list) process.stdout.write([v.name.padEnd(24), String(v.sizeBytes).padEnd(12), v.usedBy.join(',') || '-'].join(' ') + '\n');
    });
  volume.command('inspect').argument('<name>').description('show a volume as JSON')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      process.stdout.write(JSON.stringify(await (await volumes()).inspectVolume(await homeOf(cmd), name), null, 2) + '\n');
    });
  volume.command('rm').argument('<name...>').description('remove volumes and their data (refused while a created/running container uses one)')
    .action(async (names: string[], _o: unknown, cmd: Command) => {
      for (const n of names) {
        await (await volumes()).removeVolume(await homeOf(cmd), n);
        process.stdout.write(`${n}\n`);
      }
    });
};
