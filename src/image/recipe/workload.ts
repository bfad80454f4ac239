import { IMAGE_PATHS } from '../types.js';
import { binariesLayer } from './binaries.js';
import { busyboxLayer } from './busybox.js';
import { probeImageConfig, probeLayer } from './probe.js';
import type { ImageRecipe } from './types.js';

export const WORKLOAD_IMAGE = 'isobench/workload:latest';

/**
 * The one workload image every environment runs. To add a tool (e.g. an
 * "extra tools" layer with iperf3 and its libraries), add
 * `binariesLayer('extra-tools', '...', [{ host: '/usr/bin/iperf3', pkg: 'iperf3' }])`
 * before probeLayer: the inputs hash changes and the image is rebuilt.
 */
export const WORKLOAD_RECIPE: ImageRecipe = {
  name: WORKLOAD_IMAGE,
  layers: [
    busyboxLayer,
    binariesLayer('sysbench', 'sysbench with the shared libraries ldd reports and the dynamic loader', [
      { host: IMAGE_PATHS.sysbench, pkg: 'sysbench' },
    ]),
    probeLayer,
  ],
  config: probeImageConfig(),
};
