import type { HomePaths } from '../../core/home.js';
import type { NetworkSpec } from '../spec/container-spec.js';
import { newContainerId } from '../spec/container-spec.js';
import { NetworkError } from './errors.js';
import { attachNetwork } from './attach.js';
import { parsePublish } from './publish.js';

export type NetworkMode = 'none' | 'bridge';

/**
 * `--network none|bridge` and `-p` to container options. 'none' (default:
 * the startup path stays free of any `ip` call) is a private netns with
 * only lo; 'bridge' prepares the netns on the engine bridge now, under the
 * container id the caller must then use, and the shim joins it.
 */
export async function networkOptions(home: HomePaths, mode: string | undefined, publish: string[], id?: string): Promise<{ id?: string; network?: NetworkSpec }> {
  const m = (mode ?? 'none') as NetworkMode;
  if (m !== 'none' && m !== 'bridge') {
    throw new NetworkError('NET_BAD_MODE', `unknown --network ${JSON.stringify(mode)}`, { hint: 'use --network none (loopback only) or --network bridge' });
  }
  if (m === 'none') {
    if (publish.length > 0) throw new NetworkError('NET_BAD_PUBLISH', '-p needs --network bridge', { hint: 'add --network bridge' });
    return id ? { id } : {};
  }
  const cid = id ?? newContainerId();
  const rec = await attachNetwork(home, cid, { publish: publish.map(parsePublish) });
  return { id: cid, network: { mode: 'netns', path: rec.netnsPath } };
}
