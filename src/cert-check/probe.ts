import { X509Certificate } from 'node:crypto';
import { connect, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';
import { formatDuration } from '../core/duration.js';
import type { HostTarget } from './hosts.js';

/** What one TLS handshake showed: the certificates and OpenSSL's verdict, or why there was no handshake. */
export type TlsProbe =
  | {
      reached: true;
      /** The leaf as node:tls presents it (for tls.checkServerIdentity). */
      peer: PeerCertificate;
      /** Leaf first, then each issuer as OpenSSL found it (sent by the server, or from the trust store). */
      chain: X509Certificate[];
      /** OpenSSL's verification error code, undefined when the chain verified. */
      authorizationError: string | undefined;
      protocol: string | undefined;
    }
  | { reached: false; error: string };

export interface ProbeOptions {
  timeoutMs: number;
  /** Trusted CAs (PEM); the default store when undefined. */
  ca?: readonly string[];
}

export type Probe = (target: HostTarget, options: ProbeOptions) => Promise<TlsProbe>;

/**
 * Connects with SNI and `rejectUnauthorized: false`, so a bad certificate is reported on rather than
 * refused; the verdict is `authorizationError`. The timeout covers connecting and the handshake.
 */
export const probeTls: Probe = (target, options) =>
  new Promise((resolve) => {
    const socket = connect({
      host: target.address,
      port: target.port,
      servername: target.servername,
      rejectUnauthorized: false,
      // The host name is checked by the evaluation, so that authorizationError is OpenSSL's verdict on the chain alone.
      checkServerIdentity: () => undefined,
      ca: options.ca ? [...options.ca] : undefined,
    });
    const finish = (result: TlsProbe) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ reached: false, error: `no TLS handshake within ${formatDuration(options.timeoutMs)}` }),
      options.timeoutMs,
    );
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(true);
      if (!peer?.raw) return finish({ reached: false, error: 'the server sent no certificate' });
      finish({
        reached: true,
        peer,
        chain: issuerChain(peer),
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
        protocol: socket.getProtocol() ?? undefined,
      });
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish({ reached: false, error: describeSocketError(error, target) }),
    );
  });

function issuerChain(leaf: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  // A self-signed root is its own issuerCertificate: stop at the first certificate seen twice.
  for (
    let cert: DetailedPeerCertificate | undefined = leaf;
    cert?.raw && !seen.has(cert.fingerprint256);
    cert = cert.issuerCertificate
  ) {
    seen.add(cert.fingerprint256);
    chain.push(new X509Certificate(cert.raw));
  }
  return chain;
}

function describeSocketError(error: NodeJS.ErrnoException, target: HostTarget): string {
  const where = `${target.address}:${target.port}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where} (ECONNREFUSED)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${target.address} (${error.code})`;
    case 'ECONNRESET':
      return `connection reset by ${where} during the handshake (ECONNRESET)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable (${error.code})`;
    default:
      return error.code ? `${error.message} (${error.code})` : error.message;
  }
}
