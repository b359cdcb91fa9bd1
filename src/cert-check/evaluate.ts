import type { X509Certificate } from 'node:crypto';
import { checkServerIdentity } from 'node:tls';
import type { HostTarget } from './hosts.js';
import type { TlsProbe } from './probe.js';

export interface CertThresholds {
  /** Warn when fewer whole days than this are left. */
  warnDays: number;
  /** Fail when fewer whole days than this are left. */
  failDays: number;
}

export interface ChainEntry {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  daysLeft: number;
}

export interface CertResult {
  /** The entry as written (`example.com:443=10.0.0.5`). */
  host: string;
  status: 'ok' | 'warning' | 'failed';
  /** Why it failed (empty unless status is failed). */
  problems: string[];
  /** Why it warns. */
  warnings: string[];
  reached: boolean;
  subject?: string;
  issuer?: string;
  validFrom?: string;
  validTo?: string;
  /**
   * Whole days (rounded down) until the first certificate of the chain expires, by the injected clock;
   * negative once expired. Usually the leaf; an intermediate or root that expires earlier counts.
   */
  daysLeft?: number;
  expired?: boolean;
  notYetValid?: boolean;
  trusted?: boolean;
  hostnameMatches?: boolean;
  protocol?: string;
  chain?: ChainEntry[];
}

const DAY_MS = 86_400_000;
/** OpenSSL's verdicts about dates; judged here with the injected clock instead, over the whole chain. */
const TIME_ERRORS = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
]);

const TRUST_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate, not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a root that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'the issuer is not trusted, or the server does not send its intermediate certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'the issuer is not among the trusted CAs, or the server does not send its intermediate certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer certificate cannot be found',
  CERT_SIGNATURE_FAILURE: 'a signature in the chain does not verify',
  CERT_REVOKED: 'the certificate is revoked',
  INVALID_CA: 'an issuer in the chain is not a CA certificate',
  PATH_LENGTH_EXCEEDED: 'the chain is longer than an issuer allows',
  CERT_UNTRUSTED: 'the root is not trusted for TLS servers',
  CERT_REJECTED: 'the root is marked as rejected',
};

/**
 * Judges one handshake at instant `now`. Failed: no handshake, a certificate of the chain expired or not yet
 * valid, an untrusted chain, a host name the certificate does not cover, or fewer than `failDays` days left.
 * Warning: fewer than `warnDays` days left.
 *
 * OpenSSL reports one error per chain, and a date error hides an untrusted chain (an expired self-signed
 * certificate says only CERT_HAS_EXPIRED). So when its verdict is about dates, trust is decided here
 * without dates: each certificate must be issued and signed by the next one, up to a trusted CA.
 */
export function evaluateProbe(
  target: HostTarget,
  probe: TlsProbe,
  now: Date,
  thresholds: CertThresholds,
  trustAnchors: () => readonly X509Certificate[],
): CertResult {
  if (!probe.reached)
    return { host: target.label, status: 'failed', problems: [probe.error], warnings: [], reached: false };

  const problems: string[] = [];
  const warnings: string[] = [];
  const at = now.getTime();
  const chain = probe.chain.map((cert) => ({ cert, entry: chainEntry(cert, at) }));
  const leaf = chain[0] as (typeof chain)[number];

  const expired = chain.filter(({ cert }) => at > cert.validToDate.getTime());
  for (const { cert, entry } of expired)
    problems.push(
      `${describe(cert, leaf.cert)} expired on ${day(entry.validTo)} (${days(Math.floor((at - cert.validToDate.getTime()) / DAY_MS))} ago)`,
    );
  const notYetValid = chain.filter(({ cert }) => at < cert.validFromDate.getTime());
  for (const { cert, entry } of notYetValid)
    problems.push(`${describe(cert, leaf.cert)} is not valid before ${entry.validFrom}`);

  const trust = judgeTrust(probe.chain, probe.authorizationError, trustAnchors);
  if (!trust.trusted) problems.push(`untrusted chain: ${trust.reason}`);

  const identityError = checkServerIdentity(target.host, probe.peer);
  if (identityError)
    problems.push(
      `host name mismatch: ${(identityError as Error & { reason?: string }).reason ?? identityError.message}`,
    );

  const first = chain.reduce((a, b) => (b.entry.daysLeft < a.entry.daysLeft ? b : a));
  const daysLeft = first.entry.daysLeft;
  if (expired.length === 0) {
    const when = `${describe(first.cert, leaf.cert)} expires on ${day(first.entry.validTo)}, in ${days(daysLeft)}`;
    if (daysLeft < thresholds.failDays) problems.push(`${when}: fewer than ${thresholds.failDays} (fail threshold)`);
    else if (daysLeft < thresholds.warnDays)
      warnings.push(`${when}: fewer than ${thresholds.warnDays} (warn threshold)`);
  }

  return {
    host: target.label,
    status: problems.length ? 'failed' : warnings.length ? 'warning' : 'ok',
    problems,
    warnings,
    reached: true,
    subject: oneLine(leaf.cert.subject),
    issuer: oneLine(leaf.cert.issuer),
    validFrom: leaf.entry.validFrom,
    validTo: leaf.entry.validTo,
    daysLeft,
    expired: expired.length > 0,
    notYetValid: notYetValid.length > 0,
    trusted: trust.trusted,
    hostnameMatches: identityError === undefined,
    protocol: probe.protocol,
    chain: chain.map((c) => c.entry),
  };
}

function judgeTrust(
  chain: readonly X509Certificate[],
  authorizationError: string | undefined,
  trustAnchors: () => readonly X509Certificate[],
): { trusted: boolean; reason?: string } {
  if (authorizationError === undefined) return { trusted: true };
  if (!TIME_ERRORS.has(authorizationError))
    return {
      trusted: false,
      reason: `${TRUST_ERRORS[authorizationError] ?? 'verification failed'} (${authorizationError})`,
    };
  const anchors = trustAnchors();
  for (const [i, cert] of chain.entries()) {
    if (anchors.some((a) => a.fingerprint256 === cert.fingerprint256 || signedBy(cert, a))) return { trusted: true };
    const next = chain[i + 1];
    if (!next || !signedBy(cert, next)) break;
  }
  const last = chain.at(-1) as X509Certificate;
  return {
    trusted: false,
    reason: selfSigned(last)
      ? chain.length === 1
        ? 'self-signed certificate, not trusted'
        : 'the chain ends in a root that is not trusted'
      : 'the issuer is not among the trusted CAs, or the server does not send its intermediate certificate',
  };
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

/** Not checkIssued: that also wants keyCertSign, which a self-signed leaf usually lacks. */
function selfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.verify(cert.publicKey);
}

function chainEntry(cert: X509Certificate, at: number): ChainEntry {
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    validFrom: cert.validFromDate.toISOString(),
    validTo: cert.validToDate.toISOString(),
    daysLeft: Math.floor((cert.validToDate.getTime() - at) / DAY_MS),
  };
}

function describe(cert: X509Certificate, leaf: X509Certificate): string {
  return cert === leaf ? 'the certificate' : `the issuer certificate ${oneLine(cert.subject)}`;
}

function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}
