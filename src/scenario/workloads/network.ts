import type { Workload } from './types.js';
import { strictObject, wholeNumber } from './params.js';
import { requireProbeMetrics } from './probe-result.js';
import { PROBE, PROBE_NET_SERVER, peerOf } from './network-common.js';
import { networkStreamWorkload } from './network-stream.js';
import { networkPingpongWorkload } from './network-pingpong.js';
import { msOf, sumMs } from './work-ms.js';

const params = strictObject({
  /** Bytes of the TCP stream to the host peer. */
  bytes: wholeNumber(1, 64 * 1024 * 1024 * 1024).default(256 * 1024 * 1024),
  /** Ping-pong exchanges after the stream, on a second connection. */
  count: wholeNumber(1, 10_000_000).default(10_000),
  /** Ping-pong message size in bytes. */
  size: wholeNumber(1, 65_536).default(1),
});

/** Stream then ping-pong in one run: throughput and latency from the same network path. */
export const networkWorkload: Workload<{ bytes: number; count: number; size: number }> = {
  type: 'network',
  description: 'native probe: a TCP stream of BYTES, then COUNT request/response exchanges, with a peer on the host',
  metrics: [...networkStreamWorkload.metrics, ...networkPingpongWorkload.metrics],
  primary: 'throughput_mib_per_sec',
  // Scaling these changes how long a round lasts, not what its rate means (src/scenario/work-size.ts).
  workSize: [{ name: 'bytes', min: 1024 * 1024, max: 64 * 1024 * 1024 * 1024 }, { name: 'count', min: 50, max: 10_000_000 }],
  workMs: (p, m) => sumMs(msOf(m.stream_seconds), m.rtt_us === undefined ? undefined : (p.count * m.rtt_us) / 1000),
  paramsSchema: params,
  hostPeer: () => PROBE_NET_SERVER,
  build: (p, ctx) => {
    const peer = peerOf(ctx, 'network');
    return { argv: [PROBE, 'net', 'both', peer.host, peer.port, String(p.bytes), String(p.count), String(p.size)] };
  },
  parse: (out) => requireProbeMetrics('network', out, ['throughput_mib_per_sec', 'stream_seconds', 'rtt_us', 'rtt_p50_us', 'rtt_p99_us']),
};
