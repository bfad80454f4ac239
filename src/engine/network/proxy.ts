import net from 'node:net';

/**
 * The userspace TCP forwarder behind `-p hostport:ctrport`: listens on
 * 127.0.0.1 only (published ports never leave the host) and pipes each
 * connection to the container's address. No iptables needed.
 */
export function startProxy(listenPort: number, targetHost: string, targetPort: number, listenHost = '127.0.0.1'): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: targetHost, port: targetPort });
    client.pipe(upstream).pipe(client);
    const close = (): void => { client.destroy(); upstream.destroy(); };
    client.on('error', close);
    upstream.on('error', close);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, listenHost, () => resolve(server));
  });
}
