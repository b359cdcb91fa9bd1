import { type AddressInfo, createServer as createTcpServer, type Server } from 'node:net';
import { createSecureContext, createServer } from 'node:tls';
import type { Issued } from './pki.js';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A TLS server on 127.0.0.1 that picks its certificate by SNI, as a virtual-hosting front end does;
 * `fallback` is served when the client sends no (or an unknown) server name.
 */
export function serveTls(
  sites: Record<string, { leaf: Issued; chain?: Issued[] }>,
  fallback: string,
): Promise<Listening> {
  const contexts = new Map(
    Object.entries(sites).map(([name, { leaf, chain = [] }]) => [
      name,
      createSecureContext({ key: leaf.key, cert: [leaf.cert, ...chain.map((c) => c.cert)].join('') }),
    ]),
  );
  const fallbackSite = sites[fallback];
  if (!fallbackSite) throw new Error(`no site ${fallback}`);
  const server = createServer({
    key: fallbackSite.leaf.key,
    cert: [fallbackSite.leaf.cert, ...(fallbackSite.chain ?? []).map((c) => c.cert)].join(''),
    SNICallback: (name, done) => done(null, contexts.get(name) ?? contexts.get(fallback)),
  });
  server.on('tlsClientError', () => {}); // probes hang up right after the handshake
  return listen(server);
}

/** Accepts TCP connections and never answers: a TLS handshake that never completes. */
export function serveSilence(): Promise<Listening> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return listen(server).then((l) => ({
    port: l.port,
    close: () => {
      for (const s of sockets) s.destroy();
      return l.close();
    },
  }));
}

/** A port on 127.0.0.1 where nothing listens. */
export async function closedPort(): Promise<number> {
  const l = await listen(createTcpServer());
  await l.close();
  return l.port;
}
