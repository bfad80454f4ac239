import { IMAGE_PATHS } from '../../image/types.js';
import { ConfigError } from '../../core/errors.js';
import type { BuildContext, HostPeerSpec } from './types.js';

/** The probe's TCP server on the host side: one per environment and scenario, port chosen by the kernel. */
export const PROBE_NET_SERVER: HostPeerSpec = {
  argv: ['{probe}', 'net', 'server', '0', '{bind}'],
  ready: /isobench\.net listening (\d+)/,
};

export function peerOf(ctx: BuildContext, workload: string): { host: string; port: string } {
  if (!ctx.peer) {
    throw new ConfigError('WORKLOAD_NO_PEER', `${workload} needs the host-side peer the harness starts (BuildContext.peer is missing)`, {
      hint: 'run it through bench run (the scheduler starts the peer), not by hand',
    });
  }
  return { host: ctx.peer.host, port: String(ctx.peer.port) };
}

export const PROBE = IMAGE_PATHS.probe;
