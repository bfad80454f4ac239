import type { Workload } from './types.js';
import { strictObject, wholeNumber } from './params.js';
import { requireProbeMetrics } from './probe-result.js';
import { PROBE, PROBE_NET_SERVER, peerOf } from './network-common.js';

const params = strictObject({
  /** Request/response exchanges per run on one TCP connection. */
  count: wholeNumber(1, 10_000_000).default(10_000),
  /** Message size in bytes (both ways). */
  size: wholeNumber(1, 65_536).default(1),
});

export const networkPingpongWorkload: Workload<{ count: number; size: number }> = {
  type: 'network-pingpong',
  description: 'native probe: COUNT TCP request/response exchanges with a peer on the host (round-trip latency)',
  metrics: [
    { name: 'rtt_us', unit: 'us', higherIsBetter: false, description: 'mean round-trip time' },
    { name: 'rtt_p50_us', unit: 'us', higherIsBetter: false, description: 'median round-trip time' },
    { name: 'rtt_p99_us', unit: 'us', higherIsBetter: false, description: '99th percentile round-trip time' },
  ],
  primary: 'rtt_us',
  paramsSchema: params,
  hostPeer: () => PROBE_NET_SERVER,
  build: (p, ctx) => {
    const peer = peerOf(ctx, 'network-pingpong');
    return { argv: [PROBE, 'net', 'pingpong', peer.host, peer.port, String(p.count), String(p.size)] };
  },
  parse: (out) => requireProbeMetrics('network-pingpong', out, ['rtt_us', 'rtt_p50_us', 'rtt_p99_us']),
};
