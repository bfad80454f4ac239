import { Command, Option } from 'commander';
import type { ClientOptions } from '../../engine/registry/index.js';
import type { RegisterCommand } from './index.js';

/** Store and registry client, loaded when push/pull run. */
async function load() {
  const [{ resolveHome }, { openStore }, registry] = await Promise.all([
    import('../../core/home.js'), import('../../engine/store/index.js'), import('../../engine/registry/index.js'),
  ]);
  return { resolveHome, openStore, ...registry };
}

interface RemoteFlags {
  insecure?: boolean;
  user?: string;
  chunked?: boolean;
  chunkSize?: string;
  as?: string;
  json?: boolean;
}

function clientOptions(f: RemoteFlags, parseCredentials: (v: string | undefined) => ClientOptions['credentials'] | undefined): ClientOptions {
  // --user wins over the environment; the env var keeps passwords out of shell history.
  const credentials = parseCredentials(f.user ?? process.env.ISOBENCH_REGISTRY_AUTH);
  return { insecure: f.insecure ?? false, ...(credentials ? { credentials } : {}) };
}

function common(c: Command): Command {
  return c
    .option('--insecure', 'allow plain http to a registry that is not on loopback (loopback always uses http)')
    .option('--user <name:password>', 'registry credentials (basic, or sent to the token endpoint); env ISOBENCH_REGISTRY_AUTH')
    .option('--json', 'machine-readable result');
}

/**
 * Adds `push` and `pull` to an `image` command. Exported so the owner of
 * `bench image` can call it on their command; `register` below uses it on
 * whatever `image` command exists (or creates one).
 */
export function addRemoteImageCommands(image: Command): void {
  common(image.command('push').description('push an image from the store to a registry (OCI distribution API v2)')
    .argument('<image>', 'local name:tag, e.g. isobench/workload:latest')
    .argument('[remote]', 'host[:port]/name[:tag]; default: <image> itself when it starts with a registry host')
    .option('--chunked', 'upload blobs in chunks (PATCH with Content-Range) instead of one PUT')
    .addOption(new Option('--chunk-size <bytes>', 'chunk size of --chunked').default('4194304')))
    .action(async (local: string, remote: string | undefined, f: RemoteFlags, cmd: Command) => {
      const g = cmd.optsWithGlobals() as { home?: string };
      const { resolveHome, openStore, push, parseCredentials } = await load();
      const store = await openStore(resolveHome(g.home).store);
      const r = await push(store, local, remote ?? local, {
        ...clientOptions(f, parseCredentials),
        upload: f.chunked ? 'chunked' : 'monolithic',
        chunkBytes: Number(f.chunkSize),
        progress: f.json ? undefined : (l) => process.stderr.write(`${l}\n`),
      });
      if (f.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else process.stdout.write(`pushed ${r.reference} ${r.manifestDigest} (${r.uploaded} blob(s) uploaded, ${r.skipped} already there, ${r.bytesUploaded} bytes)\n`);
    });

  common(image.command('pull').description('pull an image from a registry into the store, verifying every digest')
    .argument('<remote>', 'host[:port]/name[:tag|@sha256:...]')
    .option('--as <name:tag>', 'local name (default: the remote reference)'))
    .action(async (remote: string, f: RemoteFlags, cmd: Command) => {
      const g = cmd.optsWithGlobals() as { home?: string };
      const { resolveHome, openStore, pull, parseCredentials } = await load();
      const store = await openStore(resolveHome(g.home).store);
      const r = await pull(store, remote, {
        ...clientOptions(f, parseCredentials),
        ...(f.as ? { tagAs: f.as } : {}),
        progress: f.json ? undefined : (l) => process.stderr.write(`${l}\n`),
      });
      if (f.json) process.stdout.write(JSON.stringify({ ...r, image: undefined }, null, 2) + '\n');
      else process.stdout.write(`pulled ${r.reference} as ${r.localName} ${r.manifestDigest} (${r.fetched.length} blob(s) fetched, ${r.present.length} already stored)\n`);
    });
}

export const register: RegisterCommand = (program) => {
  const existing = program.commands.find((c) => c.name() === 'image');
  addRemoteImageCommands(existing ?? program.command('image').description('images in the local OCI store'));
};
