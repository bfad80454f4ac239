#!/usr/bin/env node
// `npm run bench:cli`: how long people wait for the CLI, beside Docker and runc.
//
// 1. One hyperfine invocation, through the `bench` launcher as people run it:
//    `bench --version`, `bench --home H --version`, `bench ctr ps`,
//    `bench ctr run --rm IMAGE /isobench/probe ready x`, `docker run --rm` of
//    the same image content (against a private dockerd this script starts on
//    its own socket, data-root and exec-root under a temp dir, and stops by
//    PID), and `runc run` of a bundle over the same rootfs; then the ratios
//    and the two targets: `bench --version` median ≤ 100 ms, and
//    `bench ctr run --rm` median ≤ 0.5× `docker run --rm`.
//    Exit status: 0 both targets met, 1 one missed, 2 could not measure
//    (hyperfine, docker or root missing, no build).
// 2. tinybench micro-benchmarks of the harness's own hot paths, in-process:
//    bootstrap CI, results parsing, layer extraction.
//
// Needs root (containers) and a build (npm run build). Everything it creates
// lives under one temp dir and is removed at the end (after `bench gc`).
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'bundle', 'main.js');
// What people type: the launcher (it picks the bundle and trims the environment node would parse at start).
const LAUNCHER = path.join(ROOT, 'bench');
const IMAGE = 'isobench/workload:latest';
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 15);

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
function must(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
  return r.stdout;
}
const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

const fail = (msg) => { console.error(`bench:cli: ${msg}`); process.exit(2); };
if (!existsSync(CLI)) fail('dist/bundle is missing: run npm run build');
if (!have('hyperfine')) fail('hyperfine is missing: apt-get install hyperfine (scripts/setup does)');
if (process.getuid?.() !== 0) fail('needs root: the targets compare container starts (run it as root, e.g. sudo npm run bench:cli)');
if (!have('dockerd') || !have('docker')) fail('docker is missing: apt-get install docker.io (scripts/setup does); a private dockerd is started, never the host\'s');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'isobench-bench-cli-'));
const home = path.join(tmp, 'home');
const bench = (...args) => [LAUNCHER, '--home', home, ...args];
let dockerd;

async function startDockerd() {
  const dir = path.join(tmp, 'docker');
  mkdirSync(dir, { recursive: true });
  const sock = path.join(dir, 'docker.sock');
  // Its own socket, data-root, exec-root and pidfile: never the host's Docker; no iptables rules, no bridge.
  const child = spawn('dockerd', [
    '--host', `unix://${sock}`, '--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'),
    '--pidfile', path.join(dir, 'dockerd.pid'), '--iptables=false', '--ip-masq=false', '--bridge=none',
    '--storage-driver=overlay2', '--log-level=error',
  ], { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let err = '';
  child.stderr.on('data', (b) => { err += b; });
  dockerd = child;
  const host = `unix://${sock}`;
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`dockerd exited ${child.exitCode}: ${err.trim().split('\n').slice(-2).join(' | ')}`);
    if (spawnSync('docker', ['--host', host, 'version'], { stdio: 'ignore' }).status === 0) return host;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('dockerd did not answer within 30 s');
}

async function stopDockerd() {
  if (!dockerd || dockerd.exitCode !== null) return;
  dockerd.kill('SIGTERM');
  const done = new Promise((r) => dockerd.once('exit', r));
  const t = setTimeout(() => dockerd.kill('SIGKILL'), 15000);
  await done;
  clearTimeout(t);
}

function hyperfine(commands) {
  const json = path.join(tmp, 'hyperfine.json');
  const args = ['-N', '--warmup', '3', '--runs', String(RUNS), '--export-json', json, '--style', 'basic'];
  for (const [name, cmd] of commands) args.push('--command-name', name, cmd);
  const r = spawnSync('hyperfine', args, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`hyperfine exited ${r.status}`);
  return JSON.parse(readFileSync(json, 'utf8')).results;
}

async function micro(rootfsLayer) {
  const [{ ratioCI }, { parseResultsText }, { extractLayer }] = await Promise.all([
    import(path.join(ROOT, 'dist', 'stats', 'index.js')),
    import(path.join(ROOT, 'dist', 'results', 'reader.js')),
    import(path.join(ROOT, 'dist', 'engine', 'layers', 'index.js')),
  ]);
  const rnd = (n, m) => Array.from({ length: n }, (_, i) => m * (1 + 0.05 * Math.sin(i * 12.9898)));
  const env = rnd(30, 1.1);
  const host = rnd(30, 1);
  const fixture = readFileSync(path.join(ROOT, 'test', 'fixtures', 'results', 'sample-run.json'), 'utf8');
  const b = new Bench({ time: 1000, iterations: 5 });
  b.add('bootstrap CI (30 vs 30 samples, 2000 resamples)', () => { ratioCI(env, host); });
  b.add('results parsing (JSON.parse + schema check of a saved run)', () => { parseResultsText(fixture, 'sample-run.json'); });
  if (rootfsLayer) {
    let n = 0;
    b.add('layer extraction (the workload layer into a fresh dir)', async () => {
      const dest = path.join(tmp, 'extract', String(n++));
      mkdirSync(dest, { recursive: true });
      await extractLayer(createReadStream(rootfsLayer.file).pipe((await import('node:zlib')).createGunzip()), dest, { whiteouts: 'apply' });
      rmSync(dest, { recursive: true, force: true });
    });
  }
  await b.run();
  console.log('\nIn-process hot paths (tinybench):');
  console.table(b.table());
}

let exitCode = 0;
try {
  const commands = [
    ['bench --version', [LAUNCHER, '--version'].map(q).join(' ')],
    ['bench --home H --version', bench('--version').map(q).join(' ')],
    ['bench ctr ps', bench('ctr', 'ps').map(q).join(' ')],
  ];
  must(process.execPath, [CLI, '--home', home, '-q', 'image', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  commands.push(['bench ctr run --rm', bench('ctr', 'run', '--rm', IMAGE, '/isobench/probe', 'ready', 'x').map(q).join(' ')]);
  // The same content for Docker and runc: the image's layers, flattened.
  const ref = JSON.parse(must(process.execPath, [CLI, '--home', home, 'image', 'inspect', '--json', IMAGE]));
  const rootfs = path.join(tmp, 'rootfs');
  mkdirSync(rootfs);
  for (const l of ref.manifest.layers) must('tar', ['-xzf', path.join(home, 'store', 'blobs', 'sha256', l.digest.slice(7)), '-C', rootfs]);
  const layer = { file: path.join(home, 'store', 'blobs', 'sha256', ref.manifest.layers[ref.manifest.layers.length - 1].digest.slice(7)) };
  const flat = path.join(tmp, 'rootfs.tar');
  must('tar', ['-cf', flat, '-C', rootfs, '.']);
  let dockerHost;
  try {
    dockerHost = await startDockerd();
    must('docker', ['--host', dockerHost, 'import', flat, 'isobench-bench-cli:latest'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`could not start a private dockerd to compare with: ${e.message}`);
  }
  commands.push(['docker run --rm', ['docker', '--host', dockerHost, 'run', '--rm', '--network', 'none', 'isobench-bench-cli:latest', '/isobench/probe', 'ready', 'x'].map(q).join(' ')]);
  if (have('runc')) {
    const bundle = path.join(tmp, 'bundle');
    mkdirSync(bundle);
    must('runc', ['spec', '--rootless=false'], { cwd: bundle });
    const spec = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8'));
    spec.root = { path: rootfs, readonly: true };
    spec.process.terminal = false;
    spec.process.args = ['/isobench/probe', 'ready', 'x'];
    writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(spec));
    commands.push(['runc run', ['runc', '--root', path.join(tmp, 'runc-state'), 'run', '--bundle', bundle, `isobench-bench-cli-${process.pid}`].map(q).join(' ')]);
  } else {
    console.error('bench:cli: runc skipped: not installed');
  }
  // Node's own start, in this environment: NODE_EXTRA_CA_CERTS, when set, is parsed by every node start (the launcher drops it where no TLS is used).
  const nodeBaseline = ['node -e 0', [process.execPath, '-e', '0'].map(q).join(' ')];
  const load = os.loadavg();
  const results = hyperfine([nodeBaseline, ...commands]);
  const med = Object.fromEntries(results.map((r) => [r.command, r.median * 1000]));
  console.log('\nMedians (ms), CPU time (user+sys, mean; less sensitive to a busy host than wall time) and ratios:');
  for (const r of results) console.log(`  ${r.command.padEnd(26)} ${(r.median * 1000).toFixed(1).padStart(8)} ms   cpu ${((r.user + r.system) * 1000).toFixed(1).padStart(7)} ms`);
  const ratio = (a, b) => (med[a] !== undefined && med[b] !== undefined ? med[a] / med[b] : undefined);
  const fmt = (x) => (x === undefined ? 'n/a' : `${x.toFixed(2)}×`);
  console.log(`  bench --version / node -e 0:            ${fmt(ratio('bench --version', 'node -e 0'))}`);
  console.log(`  bench ctr run --rm / runc run:          ${fmt(ratio('bench ctr run --rm', 'runc run'))}`);
  console.log(`  (load average ${load.map((x) => x.toFixed(1)).join(' ')} before, ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} after, on ${os.cpus().length} CPUs: on a busy host every figure above grows, node's own start too)`);
  const version = med['bench --version'];
  const run = ratio('bench ctr run --rm', 'docker run --rm');
  const targets = [
    [`bench --version median ${version.toFixed(1)} ms`, 'target ≤ 100 ms', version <= 100],
    [`bench ctr run --rm / docker run --rm median ${fmt(run)} (${med['bench ctr run --rm'].toFixed(1)} ms vs ${med['docker run --rm'].toFixed(1)} ms)`, 'target ≤ 0.5×', run <= 0.5],
  ];
  console.log('\nTargets:');
  for (const [what, target, ok] of targets) console.log(`  ${ok ? 'MET   ' : 'MISSED'} ${what}  (${target})`);
  if (targets.some(([, , ok]) => !ok)) exitCode = 1;
  await micro(layer);
} catch (e) {
  exitCode = 2;
  console.error(`bench:cli: ${e.message}`);
} finally {
  await stopDockerd();
  // Containers and mounts first (a killed container run may leave its overlay mounted), then the files.
  spawnSync(process.execPath, [CLI, '--home', home, 'gc'], { stdio: 'ignore' });
  spawnSync('runc', ['--root', path.join(tmp, 'runc-state'), 'delete', '-f', `isobench-bench-cli-${process.pid}`], { stdio: 'ignore' });
  const mounted = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4]?.startsWith(tmp));
  if (mounted) console.error(`bench:cli: left ${tmp} in place: something is still mounted under it (run bench gc --home ${home})`);
  else rmSync(tmp, { recursive: true, force: true });
}
process.exitCode = exitCode;
