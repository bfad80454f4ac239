import net from 'node:net';

/**
 * The userspace TCP forwarder behind `-p hostport:ctrport`: listens on
 * 127.0.0.1 only (published ports never leave the host) and pipes each
 * connection to the container's address. No iptables needed.
 */
export function startProxy(listenPort: number, targetHost: string, targetPort: number, listenHost = '127.0.0.1'): Promise<net.Server> {
  // Half-open on both sides: a client that shuts down its write side still gets the answer (TCP semantics kept).
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ host: targetHost, port: targetPort, allowHalfOpen: true });
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
