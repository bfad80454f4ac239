import type { Command } from 'commander';
import type { HomePaths } from '../../core/home.js';
import type { OciStore } from '../../engine/store/index.js';
import type { ImageLayerRef } from '../../image/types.js';
import type { RegisterCommand } from './index.js';

async function homeOf(cmd: Command): Promise<HomePaths> {
  const { resolveHome } = await import('../../core/home.js');
  return resolveHome((cmd.optsWithGlobals() as { home?: string }).home);
}

/** The store, loaded when an image command runs. */
async function storeOf(cmd: Command): Promise<OciStore> {
  const { openStore } = await import('../../engine/store/index.js');
  return openStore((await homeOf(cmd)).store);
}

function human(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i += 1; }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n') + '\n';
}

async function allLayers(store: OciStore): Promise<ImageLayerRef[]> {
  const out: ImageLayerRef[] = [];
  for (const i of await store.list()) out.push(...(await store.resolve(i.name)).layers);
  return out;
}

async function listImages(f: { json?: boolean }, cmd: Command): Promise<void> {
  const store = await storeOf(cmd);
  const rows: { name: string; digest: string; layers: number | null; size: number | null; broken?: string }[] = [];
  for (const i of await store.list()) {
    // One damaged entry (manifest or config unreadable) must not hide the others.
    try {
      const ref = await store.resolve(i.name);
      rows.push({ name: i.name, digest: i.digest, layers: ref.layers.length, size: ref.layers.reduce((s, l) => s + l.size, 0) });
    } catch (err) {
      rows.push({ name: i.name, digest: i.digest, layers: null, size: null, broken: (err as Error).message });
    }
  }
  if (f.json) { process.stdout.write(JSON.stringify(rows, null, 2) + '\n'); return; }
  if (rows.length === 0) { process.stdout.write(`no images in ${store.root} (build one: bench image build)\n`); return; }
  process.stdout.write(table([['NAME', 'DIGEST', 'LAYERS', 'SIZE'], ...rows.map((r) => [r.name, r.digest.slice(0, 19), r.broken ? '-' : String(r.layers), r.broken ? 'BROKEN' : human(r.size ?? 0)])]));
  for (const r of rows) if (r.broken) process.stderr.write(`warning: ${r.name} is broken: ${r.broken} (bench image rm ${r.name}, then pull or build it again)\n`);
}

/** `bench image ls|inspect|rm|import|export|build` over the home's OCI store. */
export const register: RegisterCommand = (program) => {
  const image = program.commands.find((c) => c.name() === 'image')
    ?? program.command('image').description('images in the local OCI store (ls, inspect, rm, import, export, build, push, pull)');

  image.command('ls').description('list images: name, manifest digest, layers, size (also: bench images)')
    .option('--json', 'machine-readable list')
    .action(async (f: { json?: boolean }, cmd: Command) => { await listImages(f, cmd); });

  // Docker's shorthand.
  program.command('images').description('list images (same as bench image ls)').option('--json', 'machine-readable list')
    .action(async (f: { json?: boolean }, cmd: Command) => { await listImages(f, cmd); });

  image.command('inspect').description('manifest digest, layers with sizes, config of an image (every blob verified)')
    .argument('<image>', 'name[:tag] or manifest digest')
    .option('--json', 'print manifest, config and descriptor as JSON')
    .action(async (name: string, f: { json?: boolean }, cmd: Command) => {
      const store = await storeOf(cmd);
      const ref = await store.resolve(name);
      const manifest = await store.readManifest(ref.digest);
      const config = await store.readConfig(manifest.config.digest);
      for (const l of ref.layers) await store.verifyBlob(l.digest);
      if (f.json) { process.stdout.write(JSON.stringify({ name: ref.name, digest: ref.digest, manifest, config }, null, 2) + '\n'); return; }
      const lines = [
        `Name:        ${ref.name}`,
        `Digest:      ${ref.digest}`,
        `Store:       ${ref.storeRoot}`,
        `Platform:    ${config.os}/${config.architecture}`,
        `Config:      ${manifest.config.digest} (${manifest.config.size} B)`,
        `Entrypoint:  ${JSON.stringify(ref.config.entrypoint)}`,
        `Cmd:         ${JSON.stringify(ref.config.cmd)}`,
        `WorkingDir:  ${ref.config.workingDir}`,
        `Env:         ${ref.config.env.join(' ')}`,
        ...Object.entries(manifest.annotations ?? {}).map(([k, v]) => `Annotation:  ${k}=${v}`),
        `Layers:      ${ref.layers.length}, ${human(ref.layers.reduce((s, l) => s + l.size, 0))} (all verified)`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
      process.stdout.write(table([
        ['  #', 'DIGEST', 'SIZE', 'DIFF_ID', 'CREATED_BY'],
        ...ref.layers.map((l, i) => [`  ${i + 1}`, l.digest, human(l.size), l.diffId.slice(0, 19), config.history?.filter((h) => !h.empty_layer)[i]?.created_by ?? '']),
      ]));
    });

  image.command('rm').description('remove images and the blobs no other image uses')
    .argument('<images...>', 'name[:tag]')
    .option('--prune-snapshots', 'also delete extracted layer directories no remaining image uses (stop containers of those images first)')
    .action(async (names: string[], f: { pruneSnapshots?: boolean }, cmd: Command) => {
      const home = await homeOf(cmd);
      const store = await storeOf(cmd);
      const [{ liveContainerUses }, { BenchError }] = await Promise.all([import('../../engine/container/index.js'), import('../../core/errors.js')]);
      const live = await liveContainerUses(home);
      for (const n of names) {
        const digest = (await store.lookup(n)).digest;
        const users = live.filter((c) => c.image?.digest === digest);
        if (users.length > 0) {
          throw new BenchError('IMAGE_IN_USE', `image ${n} is used by running container${users.length === 1 ? '' : 's'} ${users.map((u) => u.id).join(', ')}; nothing was removed`, {
            hint: `stop and delete ${users.length === 1 ? 'it' : 'them'} first (bench kill/rm), then remove the image`,
          });
        }
      }
      for (const n of names) {
        const r = await store.remove(n);
        process.stdout.write(`removed ${n} ${r.manifest} (${r.removedBlobs.length} blob(s) deleted)\n`);
      }
      if (f.pruneSnapshots) {
        const { pruneSnapshots } = await import('../../engine/layers/index.js');
        const gone = await pruneSnapshots(home, await allLayers(store), live.flatMap((c) => c.lowerDirs));
        process.stdout.write(`pruned ${gone.length} snapshot(s)\n`);
      }
    });

  image.command('export').description('write an image as an OCI archive (tar of an image layout) to move it to another host')
    .argument('<image>', 'name[:tag]')
    .argument('<file>', 'archive to write, e.g. workload.tar')
    .action(async (name: string, file: string, _f: unknown, cmd: Command) => {
      const store = await storeOf(cmd);
      const r = await store.exportArchive(name, file);
      process.stdout.write(`exported ${name} ${r.digest} to ${file} (${r.blobs} blobs, ${human(r.bytes)})\n`);
    });

  image.command('import').description('import an OCI archive or a docker save archive (converted to OCI), verifying every blob (all or nothing)')
    .argument('<file>', 'OCI or docker save archive (tar or tar.gz)')
    .option('--name <name:tag>', 'name for a single-image archive (needed when it carries no ref.name)')
    .action(async (file: string, f: { name?: string }, cmd: Command) => {
      const store = await storeOf(cmd);
      const { importImageArchive } = await import('../../engine/store/index.js');
      const imported = await importImageArchive(store, file, f.name === undefined ? {} : { name: f.name });
      imported.images.forEach((r, i) => {
        const docker = imported.dockerImageIds?.[i];
        process.stdout.write(`imported ${r.name} ${r.digest} (${r.layers.length} layers)${docker ? ` from docker save, Docker image ID ${docker}` : ''}\n`);
      });
    });

  image.command('build').description("build (or confirm up to date) isobench's images from their recipes: the workload image and the applications image")
    .argument('[names...]', 'only these images (default: all of them)')
    .option('--force', 'rebuild even if the inputs did not change')
    .action(async (names: string[], f: { force?: boolean }, cmd: Command) => {
      const [{ buildWorkloadImage, RECIPES }, { ConfigError }] = await Promise.all([import('../../image/index.js'), import('../../core/errors.js')]);
      const unknown = names.filter((n) => !RECIPES.some((r) => r.name === n));
      if (unknown.length) throw new ConfigError('IMAGE_NO_RECIPE', `no recipe builds ${unknown.join(', ')}`, { hint: `isobench builds ${RECIPES.map((r) => r.name).join(', ')}` });
      const quiet = (cmd.optsWithGlobals() as { quiet?: boolean }).quiet ?? false;
      const home = await homeOf(cmd);
      for (const recipe of RECIPES.filter((r) => names.length === 0 || names.includes(r.name))) {
        const ref = await buildWorkloadImage(home, { recipe, force: f.force ?? false, log: (l) => { if (!quiet) process.stderr.write(`${l}\n`); } });
        process.stdout.write(`${ref.name} ${ref.digest}\n`);
      }
    });
};
