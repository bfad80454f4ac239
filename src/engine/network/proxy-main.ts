/**
 * Process entry of a port-publishing proxy (one per published port, spawned
 * detached by attach.ts so it outlives `bench ctr run -d`):
 *   proxy-main <listenPort> <targetHost> <targetPort> <marker>
 * Prints "ready" once listening; the marker in argv lets detach/gc verify a
 * pid is really ours before killing it.
 */
import { startProxy } from './proxy.js';

const [listenPort, targetHost, targetPort] = process.argv.slice(2);
startProxy(Number(listenPort), String(targetHost), Number(targetPort)).then(
  () => { process.stdout.write('ready\n'); },
  (err: Error) => { process.stderr.write(`${err.message}\n`); process.exit(1); },
);
