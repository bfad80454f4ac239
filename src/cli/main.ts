#!/usr/bin/env node
import { runAsProcess } from './program.js';
import { groupFor } from './commands/groups.js';

/**
 * The CLI. Startup cost matters (people type `bench ctr run` the way they
 * type `docker run`): this file and the command definitions import only
 * commander; only the command group argv names is loaded and registered
 * (all of them for help, completion or an unknown word); each command loads
 * its implementation when it runs.
 */
runAsProcess({
  load: async (args) => (await groupFor(args)?.load()) ?? (await import('./commands/index.js')).commands,
  beforeHelp: async () => {
    const [{ environmentNames }, { setEnvironmentNamesForHelp }] = await Promise.all([import('../envs/index.js'), import('./env-help.js')]);
    setEnvironmentNamesForHelp(environmentNames());
  },
});
