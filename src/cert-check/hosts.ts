import { isIP } from 'node:net';

/**
 * Which certificate to check and where: `host[:port][=address]`.
 * - `example.com` → port 443, SNI and hostname check for example.com, connect to example.com.
 * - `example.com:8443=10.0.0.5` → the certificate 10.0.0.5:8443 serves for example.com (one backend
 *   behind a load balancer, or a local test server), like curl's --resolve.
 * - `[2001:db8::1]:443`, `10.0.0.5` → IP addresses: no SNI (RFC 6066 forbids it), the IP is checked
 *   against the certificate's IP SANs.
 */
export interface HostTarget {
  /** The entry as written; how the host is named in outputs and the summary. */
  label: string;
  /** The name the certificate must match. */
  host: string;
  port: number;
  /** Where to connect. */
  address: string;
  /** SNI; undefined for IP addresses. */
  servername: string | undefined;
}

export const HOST_HELP = 'host[:port][=address], e.g. example.com, example.com:8443 or example.com:443=10.0.0.5';

const HOSTNAME =
  /^(?=.{1,253}$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** The target, or why the entry is not one (for input validation). */
export function parseHostEntry(entry: string): HostTarget | { problem: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) return { problem: `is a URL; expected ${HOST_HELP}` };
  const [target = '', address, ...extra] = entry.split('=');
  if (extra.length) return { problem: `has more than one "="; expected ${HOST_HELP}` };
  const parsed = /^\[([^\]]+)\](?::(\d+))?$/.exec(target) ?? /^([^:]+)(?::(\d+))?$/.exec(target);
  const host = parsed?.[1] ?? target;
  if (!parsed || !(isIP(host) || HOSTNAME.test(host)))
    return { problem: `does not name a host (expected ${HOST_HELP}; IPv6 addresses in brackets)` };
  const port = parsed[2] === undefined ? 443 : Number(parsed[2]);
  if (!(port >= 1 && port <= 65535)) return { problem: 'has a port outside 1-65535' };
  const connectTo = address?.replace(/^\[(.*)\]$/, '$1');
  if (connectTo !== undefined && !(isIP(connectTo) || HOSTNAME.test(connectTo)))
    return { problem: `has an address after "=" that is not an IP address or host name (expected ${HOST_HELP})` };
  return { label: entry, host, port, address: connectTo ?? host, servername: isIP(host) ? undefined : host };
}

export function hostEntryProblem(entry: string): string | undefined {
  const parsed = parseHostEntry(entry);
  return 'problem' in parsed ? parsed.problem : undefined;
}

export function parseHostEntries(entries: readonly string[]): HostTarget[] {
  return entries.map((entry) => {
    const parsed = parseHostEntry(entry);
    if ('problem' in parsed) throw new Error(`${JSON.stringify(entry)} ${parsed.problem}`);
    return parsed;
  });
}
