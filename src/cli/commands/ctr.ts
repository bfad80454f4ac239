import { open } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { ConfigError } from '../../core/errors.js';
import type { HomePaths } from '../../core/home.js';
import type { RegisterCommand } from './index.js';
import type { ContainerOptions, ImageDefaults, Engine, ContainerState, SeccompMode } from '../../engine/index.js';
import { requireRoot } from '../root.js';
import { EXIT_CODES_HELP } from '../errors.js';
import { didYouMean } from '../did-you-mean.js';

/** The engine, loaded when a ctr command runs (not to define the command line). */
const engineModule = () => import('../../engine/index.js');

interface RunFlags {
  image?: string;
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

async function homeOf(cmd: Command): Promise<HomePaths> {
  const { resolveHome } = await import('../../core/home.js');
  return resolveHome((cmd.optsWithGlobals() as { home?: string }).home);
}

async function engineOf(cmd: Command): Promise<Engine> {
  const [{ openEngine }, home] = await Promise.all([engineModule(), homeOf(cmd)]);
  return openEngine(home);
}

/**
 * Docker's order, `run [OPTIONS] IMAGE [COMMAND...]`: the first operand is
 * the image unless --image (kept as an alias) or --rootfs says otherwise.
 */
export function splitImageAndCommand(operands: string[], f: { image?: string; rootfs?: string }): { image?: string; argv: string[] } {
  if (f.rootfs !== undefined) {
    if (f.image !== undefined) throw new ConfigError('BAD_FLAGS', '--rootfs and --image cannot be combined', { hint: 'a container runs either an image or a plain directory' });
    return { argv: operands };
  }
  if (f.image !== undefined) return { image: f.image, argv: operands };
  const [image, ...argv] = operands;
  if (image === undefined) {
    throw new ConfigError('IMAGE_REQUIRED', 'no image given: bench ctr run [OPTIONS] IMAGE [COMMAND...]', { hint: 'e.g. bench ctr run --rm isobench/workload:latest /isobench/probe ready x (images: bench images)' });
  }
  return { image, argv };
}

/** The image the user named, or a clear error naming the closest one in the store. */
async function checkImage(home: HomePaths, name: string, argv: string[]): Promise<void> {
  const [{ openStore }, { DEFAULT_IMAGE }] = await Promise.all([import('../../engine/store/index.js'), import('../../engine/rootfs/image-rootfs.js')]);
  const store = await openStore(home.store);
  const names = (await store.list()).map((i) => i.name);
  const full = name.includes(':') || name.includes('@') ? name : `${name}:latest`;
  if (names.includes(name) || names.includes(full) || /^sha256:[0-9a-f]{64}$/.test(name)) return;
  const near = didYouMean(name, names);
  const looksLikeCommand = name.startsWith('/') || name.startsWith('.') || argv.length === 0 && !name.includes('/') && !name.includes(':');
  const hint = near
    ? `did you mean ${near}? (bench ctr run [OPTIONS] IMAGE [COMMAND...]; images: bench images)`
    : looksLikeCommand && names[0]
      // The engine's default image when it is there: the store may hold several (workload, apps, users').
      ? `the image comes first: did you mean bench ctr run ${names.includes(DEFAULT_IMAGE) ? DEFAULT_IMAGE : names[0]} ${[name, ...argv].join(' ')}?`
      : names.length ? `images here: ${names.join(', ')}` : 'the store is empty: bench image build (or import/pull one)';
  throw new ConfigError('IMAGE_NOT_FOUND', `no image "${name}" in the store at ${store.root}`, { hint });
}

function addRunOptions(c: Command): Command {
  return c
    .option('--image <name>', 'image name:tag from the store (alias of the IMAGE operand; then every operand is the command)')
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

async function optionsFrom(engine: Engine, f: RunFlags, operands: string[]): Promise<{ opts: ContainerOptions; image?: ImageDefaults }> {
  const { image: imageName, argv } = splitImageAndCommand(operands, f);
  if (imageName !== undefined) await checkImage(engine.home, imageName, argv);
  const [{ parseByteSize, imageRootfs }, { networkOptions }, { resolveVolumeMounts }] = await Promise.all([
    engineModule(), import('../../engine/network/index.js'), import('../../engine/volumes/index.js'),
  ]);
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
  const img = await imageRootfs(engine.home, imageName);
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

const ROOT_WHY = 'namespaces, mounts and cgroups';

export const register: RegisterCommand = (program, setExitCode) => {
  const ctr = program.command('ctr').description('containers of isobench\'s own engine (overlay rootfs, namespaces, cgroups, pivot_root)').enablePositionalOptions()
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n(ctr run and exec exit with the container program's own code)`);

  addRunOptions(ctr.command('run').description('create and start a container: bench ctr run [OPTIONS] IMAGE [COMMAND...]')
    .argument('[image-and-command...]', 'IMAGE (name:tag in the store; not given with --image or --rootfs), then the program and its arguments (default: the image\'s entrypoint/cmd)')
    .option('-d, --detach', 'run in the background (output goes to `bench ctr logs`)')
    .option('--rm', 'remove the container when it exits').passThroughOptions())
    .action(async (operands: string[], f: RunFlags, cmd: Command) => {
      requireRoot('bench ctr run', ROOT_WHY);
      if (f.detach && f.rm) throw new ConfigError('BAD_FLAGS', '--rm cannot be combined with -d', { hint: 'remove a detached container with `bench ctr rm -f ID`' });
      const engine = await engineOf(cmd);
      const { opts, image } = await optionsFrom(engine, f, operands);
      const { runContainer } = await engineModule();
      const r = await runContainer(engine, opts, image, { detach: f.detach ?? false, rm: f.rm ?? false, trace: f.trace ?? false, handleSignals: true });
      if (f.detach) process.stdout.write(`${r.state.id}\n`);
      else setExitCode(r.exitCode ?? 1);
    });

  addRunOptions(ctr.command('create').passThroughOptions().description('set up a container (namespaces, rootfs, cgroup) without starting its program: bench ctr create [OPTIONS] IMAGE [COMMAND...]')
    .argument('[image-and-command...]', 'IMAGE (unless --image or --rootfs), then the program and arguments'))
    .action(async (operands: string[], f: RunFlags, cmd: Command) => {
      requireRoot('bench ctr create', ROOT_WHY);
      const engine = await engineOf(cmd);
      const { opts, image } = await optionsFrom(engine, f, operands);
      const { createContainer } = await engineModule();
      const s = await createContainer(engine, opts, image, f.trace ?? false);
      process.stdout.write(`${s.id}\n`);
    });

  ctr.command('start').description('start a created container').argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      requireRoot('bench ctr start', ROOT_WHY);
      const { startContainer } = await engineModule();
      await startContainer(await engineOf(cmd), id);
    });

  ctr.command('ps').description('list containers (also: bench ps)').option('-a, --all', 'include stopped ones').option('--json', 'machine-readable')
    .action(async (o: { all?: boolean; json?: boolean }, cmd: Command) => { await listAction(o, cmd); });

  ctr.command('exec').passThroughOptions().description('run a program inside a running container: bench ctr exec [-i] [-t] ID COMMAND...').argument('<id>').argument('<command...>')
    .option('-e, --env <K=V>', 'extra environment variable', collect, []).option('-w, --workdir <dir>', 'working directory')
    .option('-i, --interactive', 'keep stdin attached (it always is: the program shares this terminal)')
    .option('-t, --tty', 'accepted for Docker habits; no pseudo-terminal is allocated, the program uses this terminal directly')
    .action(async (id: string, argv: string[], o: { env: string[]; workdir?: string }, cmd: Command) => {
      requireRoot('bench ctr exec', ROOT_WHY);
      const { execContainer } = await engineModule();
      const r = await execContainer(await engineOf(cmd), id, argv, { env: o.env, ...(o.workdir ? { cwd: o.workdir } : {}), stdio: 'inherit' });
      setExitCode(r.exitCode);
    });

  ctr.command('inspect').description('the container\'s state and full spec as JSON').argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { loadState } = await engineModule();
      process.stdout.write(JSON.stringify(await loadState(await homeOf(cmd), id), null, 2) + '\n');
    });

  ctr.command('logs').description('output of a detached container').argument('<id>')
    .option('-f, --follow', 'keep printing new output until the container stops')
    .action(async (id: string, o: { follow?: boolean }, cmd: Command) => {
      const { readLogs, loadState, containerPaths } = await engineModule();
      const engine = await engineOf(cmd);
      if (!o.follow) { process.stdout.write(await readLogs(engine, id)); return; }
      await followLogs(containerPaths(engine.home, id).log, async () => (await loadState(engine.home, id)).status === 'running');
    });

  ctr.command('stop').description('SIGTERM, then SIGKILL after the grace time').argument('<id...>')
    .option('-t, --time <seconds>', 'grace time', '10')
    .action(async (ids: string[], o: { time: string }, cmd: Command) => {
      requireRoot('bench ctr stop', ROOT_WHY);
      const { stopContainer } = await engineModule();
      const engine = await engineOf(cmd);
      for (const id of ids) {
        const s = await stopContainer(engine, id, Number(o.time) * 1000);
        process.stdout.write(`${id} stopped (exit ${s.exitCode ?? 'unknown'})\n`);
      }
    });

  ctr.command('kill').description('send a signal to the container\'s PID 1').argument('<id>')
    .addOption(new Option('-s, --signal <sig>', 'signal').default('SIGKILL'))
    .action(async (id: string, o: { signal: string }, cmd: Command) => {
      requireRoot('bench ctr kill', ROOT_WHY);
      const sig = /^\d+$/.test(o.signal) ? Number(o.signal) : (o.signal.toUpperCase().startsWith('SIG') ? o.signal.toUpperCase() : `SIG${o.signal.toUpperCase()}`) as NodeJS.Signals;
      const { killContainer } = await engineModule();
      await killContainer(await engineOf(cmd), id, sig);
    });

  ctr.command('rm').description('remove stopped containers (their rw layer, cgroup and state)').argument('<id...>')
    .option('-f, --force', 'kill running ones first')
    .action(async (ids: string[], o: { force?: boolean }, cmd: Command) => {
      requireRoot('bench ctr rm', ROOT_WHY);
      const { deleteContainer } = await engineModule();
      const engine = await engineOf(cmd);
      for (const id of ids) {
        await deleteContainer(engine, id, { force: o.force ?? false });
        process.stdout.write(`${id}\n`);
      }
    });

  // Docker's shorthands: `bench ps [-a]` for `bench ctr ps`.
  program.command('ps').description('list containers (same as bench ctr ps)').option('-a, --all', 'include stopped ones').option('--json', 'machine-readable')
    .action(async (o: { all?: boolean; json?: boolean }, cmd: Command) => { await listAction(o, cmd); });
};

async function listAction(o: { all?: boolean; json?: boolean }, cmd: Command): Promise<void> {
  const { listContainers } = await engineModule();
  const list = await listContainers(await engineOf(cmd), { all: o.all ?? false });
  if (o.json) { process.stdout.write(JSON.stringify(list, null, 2) + '\n'); return; }
  process.stdout.write(['ID'.padEnd(14), 'IMAGE'.padEnd(28), 'STATUS'.padEnd(14), 'PID'.padEnd(8), 'COMMAND'].join(' ') + '\n');
  for (const s of list) process.stdout.write(row(s) + '\n');
}

/** `logs -f`: print what is there, then what is appended, until the container stops (and a last read after). */
async function followLogs(file: string, running: () => Promise<boolean>, pollMs = 200): Promise<void> {
  let pos = 0;
  const drain = async (): Promise<void> => {
    const fh = await open(file, 'r').catch(() => undefined);
    if (!fh) return;
    try {
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        process.stdout.write(buf.subarray(0, bytesRead));
      }
    } finally {
      await fh.close();
    }
  };
  for (;;) {
    await drain();
    if (!(await running())) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  await drain();
}
