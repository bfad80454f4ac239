import type { Workload } from './types.js';
import { strictObject, wholeNumber } from './params.js';
import { requireProbeMetrics } from './probe-result.js';
import { PROBE, PROBE_NET_SERVER, peerOf } from './network-common.js';

const params = strictObject({
  /** Bytes sent per run over one TCP connection to the host-side peer. */
  bytes: wholeNumber(1, 64 * 1024 * 1024 * 1024).default(256 * 1024 * 1024),
});

export const networkStreamWorkload: Workload<{ bytes: number }> = {
  type: 'network-stream',
  description: 'native probe: one TCP stream of BYTES from the environment to a peer on the host (throughput)',
  metrics: [
    { name: 'throughput_mib_per_sec', unit: 'MiB/s', higherIsBetter: true, description: 'bytes acknowledged by the host peer per second' },
    { name: 'stream_seconds', unit: 's', higherIsBetter: false, description: 'connect to last byte counted' },
  ],
  primary: 'throughput_mib_per_sec',
  paramsSchema: params,
  hostPeer: () => PROBE_NET_SERVER,
  build: (p, ctx) => {
    const peer = peerOf(ctx, 'network-stream');
    return { argv: [PROBE, 'net', 'stream', peer.host, peer.port, String(p.bytes)] };
  },
  parse: (out) => requireProbeMetrics('network-stream', out, ['throughput_mib_per_sec', 'stream_seconds']),
};
