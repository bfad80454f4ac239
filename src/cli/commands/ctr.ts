import { Command, Option } from 'commander';
import { resolveHome } from '../../core/home.js';
import { ConfigError } from '../../core/errors.js';
import type { RegisterCommand } from './index.js';
import {
  openEngine, runContainer, createContainer, startContainer, listContainers, execContainer, readLogs,
  stopContainer, killContainer, deleteContainer, loadState, imageRootfs, parseByteSize, DEFAULT_IMAGE,
  type ContainerOptions, type ImageDefaults, type Engine, type ContainerState, type SeccompMode,
} from '../../engine/index.js';
import { networkOptions } from '../../engine/network/index.js';
import { resolveVolumeMounts } from '../../engine/volumes/index.js';

interface RunFlags {
  image: string;
  rootfs?: string;
  name?: string;
  detach?: boolean;
  rm?: boolean;
  env: string[];
  workdir?: string;
  hostname?: string;
  memory?: string;
  pids?: string;
  cpus?: string;
  privileged?: boolean;
  seccomp?: string;
  volume: string[];
  network?: string;
  publish: string[];
  trace?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function engineOf(cmd: Command): Engine {
  const g = cmd.optsWithGlobals() as { home?: string };
  return openEngine(resolveHome(g.home));
}

function addRunOptions(c: Command): Command {
  return c
    .option('--image <name>', 'image name:tag from the store', DEFAULT_IMAGE)
    .option('--rootfs <dir>', 'run a plain directory as the root instead of an image (bind-mounted, not copied)')
    .option('--name <id>', 'container id (default: random)')
    .option('-e, --env <K=V>', 'environment variable (repeatable)', collect, [])
    .option('-w, --workdir <dir>', 'working directory inside')
    .option('--hostname <name>', 'hostname inside (default: the container id)')
    .option('--memory <size>', 'memory limit, e.g. 256m')
    .option('--pids <n>', 'maximum number of processes')
    .option('--cpus <n>', 'CPU quota in cores, e.g. 1.5')
    .option('-v, --volume <src:dst[:ro]>', 'bind a host directory or a named volume NAME:/path (repeatable)', collect, [])
    .option('--network <mode>', 'none: own netns with only lo (default, fastest start); bridge: veth on the engine bridge ib-<tag>')
    .option('-p, --publish <hostport:ctrport>', 'publish a container TCP port on 127.0.0.1 (needs --network bridge; repeatable)', collect, [])
    .option('--privileged', 'keep every capability and skip masked/read-only paths (for experiments)')
    .option('--seccomp <mode>', 'syscall filter: default (the engine\'s, refusing what Docker\'s default profile refuses, user namespaces included) or unconfined (no filter; the isolation matrix shows it)', 'default')
    .option('--trace', 'print the shim\'s per-step startup durations on stderr');
}

async function optionsFrom(engine: Engine, f: RunFlags, argv: string[]): Promise<{ opts: ContainerOptions; image?: ImageDefaults }> {
  const limits: ContainerOptions['limits'] = {};
  if (f.memory) limits.memoryBytes = parseByteSize(f.memory);
  if (f.pids) limits.pids = Number(f.pids);
  if (f.cpus) limits.cpus = Number(f.cpus);
  const mounts = await resolveVolumeMounts(engine.home, f.volume);
  const net = await networkOptions(engine.home, f.network, f.publish, f.name);
  const base: Omit<ContainerOptions, 'rootfs'> = {
    ...(net.id ? { id: net.id } : {}),
    ...(net.network ? { network: net.network } : {}),
    ...(argv.length ? { argv } : {}),
    ...(f.env.length ? { env: f.env } : {}),
    ...(f.workdir ? { cwd: f.workdir } : {}),
    ...(f.hostname ? { hostname: f.hostname } : {}),
    limits,
    mounts,
    ...(f.privileged ? { capabilities: 'all' as const, maskedPaths: [], readonlyPaths: [] } : {}),
    ...(f.seccomp ? { seccomp: f.seccomp as SeccompMode } : {}),
  };
  if (f.rootfs) return { opts: { ...base, rootfs: { kind: 'dir', dir: f.rootfs } } };
  const img = await imageRootfs(engine.home, f.image);
  const env = f.env.length ? [...img.defaults.env.filter((e) => !f.env.some((o) => o.split('=')[0] === e.split('=')[0])), ...f.env] : undefined;
  return {
    opts: { ...base, ...(env ? { env } : {}), rootfs: { kind: 'overlay', lowerDirs: img.lowerDirs }, image: { name: img.image.name, digest: img.image.digest } },
    image: img.defaults,
  };
}

function row(s: ContainerState): string {
  const img = s.spec.image?.name ?? (s.spec.rootfs.kind === 'dir' ? s.spec.rootfs.dir : '-');
  const status = s.status === 'stopped' && s.exitCode !== null ? `stopped (${s.exitCode})` : s.status;
  return [s.id.padEnd(14), img.padEnd(28), status.padEnd(14), String(s.initPid ?? '-').padEnd(8), s.spec.argv.join(' ')].join(' ');
}

export const register: RegisterCommand = (program, setExitCode) => {
  const ctr = program.command('ctr').description('containers of isobench\'s own engine (overlay rootfs, namespaces, cgroups, pivot_root)').enablePositionalOptions();

  addRunOptions(ctr.command('run').description('create and start a container')
    .argument('[command...]', 'program and arguments (default: the image\'s entrypoint/cmd)')
    .option('-d, --detach', 'run in the background (output goes to `bench ctr logs`)')
    .option('--rm', 'remove the container when it exits').passThroughOptions())
    .action(async (argv: string[], f: RunFlags, cmd: Command) => {
      const engine = engineOf(cmd);
      const { opts, image } = await optionsFrom(engine, f, argv);
      if (f.detach && f.rm) throw new ConfigError('BAD_FLAGS', '--rm cannot be combined with -d', { hint: 'remove a detached container with `bench ctr rm -f ID`' });
      const r = await runContainer(engine, opts, image, { detach: f.detach ?? false, rm: f.rm ?? false, trace: f.trace ?? false, handleSignals: true });
      if (f.detach) process.stdout.write(`${r.state.id}\n`);
      else setExitCode(r.exitCode ?? 1);
    });

  addRunOptions(ctr.command('create').passThroughOptions().description('set up a container (namespaces, rootfs, cgroup) without starting its program')
    .argument('[command...]', 'program and arguments'))
    .action(async (argv: string[], f: RunFlags, cmd: Command) => {
      const engine = engineOf(cmd);
      const { opts, image } = await optionsFrom(engine, f, argv);
      const s = await createContainer(engine, opts, image, f.trace ?? false);
      process.stdout.write(`${s.id}\n`);
    });

  ctr.command('start').description('start a created container').argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) => { await startContainer(engineOf(cmd), id); });

  ctr.command('ps').description('list containers').option('-a, --all', 'include stopped ones').option('--json', 'machine-readable')
    .action(async (o: { all?: boolean; json?: boolean }, cmd: Command) => {
      const list = await listContainers(engineOf(cmd), { all: o.all ?? false });
      if (o.json) { process.stdout.write(JSON.stringify(list, null, 2) + '\n'); return; }
      process.stdout.write(['ID'.padEnd(14), 'IMAGE'.padEnd(28), 'STATUS'.padEnd(14), 'PID'.padEnd(8), 'COMMAND'].join(' ') + '\n');
      for (const s of list) process.stdout.write(row(s) + '\n');
    });

  ctr.command('exec').passThroughOptions().allowUnknownOption().description('run a program inside a running container').argument('<id>').argument('<command...>')
    .option('-e, --env <K=V>', 'extra environment variable', collect, []).option('-w, --workdir <dir>', 'working directory')
    .action(async (id: string, argv: string[], o: { env: string[]; workdir?: string }, cmd: Command) => {
      const r = await execContainer(engineOf(cmd), id, argv, { env: o.env, ...(o.workdir ? { cwd: o.workdir } : {}), stdio: 'inherit' });
      setExitCode(r.exitCode);
    });

  ctr.command('inspect').description('the container\'s state and full spec as JSON').argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      process.stdout.write(JSON.stringify(await loadState(engineOf(cmd).home, id), null, 2) + '\n');
    });

  ctr.command('logs').description('output of a detached container').argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) => { process.stdout.write(await readLogs(engineOf(cmd), id)); });

  ctr.command('stop').description('SIGTERM, then SIGKILL after the grace time').argument('<id...>')
    .option('-t, --time <seconds>', 'grace time', '10')
    .action(async (ids: string[], o: { time: string }, cmd: Command) => {
      const engine = engineOf(cmd);
      for (const id of ids) {
        const s = await stopContainer(engine, id, Number(o.time) * 1000);
        process.stdout.write(`${id} stopped (exit ${s.exitCode ?? 'unknown'})\n`);
      }
    });

  ctr.command('kill').description('send a signal to the container\'s PID 1').argument('<id>')
    .addOption(new Option('-s, --signal <sig>', 'signal').default('SIGKILL'))
    .action(async (id: string, o: { signal: string }, cmd: Command) => {
      const sig = /^\d+$/.test(o.signal) ? Number(o.signal) : (o.signal.toUpperCase().startsWith('SIG') ? o.signal.toUpperCase() : `SIG${o.signal.toUpperCase()}`) as NodeJS.Signals;
      await killContainer(engineOf(cmd), id, sig);
    });

  ctr.command('rm').description('remove stopped containers (their rw layer, cgroup and state)').argument('<id...>')
    .option('-f, --force', 'kill running ones first')
    .action(async (ids: string[], o: { force?: boolean }, cmd: Command) => {
      const engine = engineOf(cmd);
      for (const id of ids) {
        await deleteContainer(engine, id, { force: o.force ?? false });
        process.stdout.write(`${id}\n`);
      }
    });
};
