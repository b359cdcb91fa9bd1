import { X509Certificate } from 'node:crypto';
import { getCACertificates } from 'node:tls';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { type CertResult, type CertThresholds, evaluateProbe } from './evaluate.js';
import type { HostTarget } from './hosts.js';
import { type Probe, probeTls } from './probe.js';

/**
 * The runbook's daily "verify SSL certificate status", as a library: one TLS handshake per host (in
 * parallel), each judged for expiry, chain trust and host name at the injected clock's instant.
 */
export interface CertCheckOptions {
  targets: readonly HostTarget[];
  thresholds: CertThresholds;
  /** Connect + handshake, per host. */
  timeoutMs: number;
  /** Extra trusted CAs (PEM certificates), added to Node's default store: internal CAs. */
  extraCa?: readonly string[];
}

export interface CertCheckDeps {
  clock: Clock;
  log: Logger;
  probe?: Probe;
}

export interface CertReport {
  results: CertResult[];
  failed: string[];
  /** Reached, not expired, fewer than warnDays left (includes those under failDays). */
  expiring: string[];
  /** A certificate of the chain has expired. */
  expired: string[];
  /** Smallest days-left among the hosts reached; undefined when none was reached. */
  minDaysLeft: number | undefined;
  thresholds: CertThresholds;
}

export async function checkCertificates(options: CertCheckOptions, deps: CertCheckDeps): Promise<CertReport> {
  const probe = deps.probe ?? probeTls;
  // With extra CAs the store is replaced, so the defaults (Node's roots, NODE_EXTRA_CA_CERTS, and the system
  // store when enabled) are passed along.
  const ca = options.extraCa?.length ? [...getCACertificates('default'), ...options.extraCa] : undefined;
  let anchors: X509Certificate[] | undefined;
  const trustAnchors = () => {
    anchors ??= (ca ?? getCACertificates('default')).map((pem) => new X509Certificate(pem));
    return anchors;
  };

  const results = await Promise.all(
    options.targets.map(async (target) => {
      const tls = await probe(target, { timeoutMs: options.timeoutMs, ca });
      const result = evaluateProbe(target, tls, deps.clock.now(), options.thresholds, trustAnchors);
      const detail = [...result.problems, ...result.warnings].join('; ');
      if (result.status === 'warning')
        deps.log.warning(`${target.label}: ${detail}`, { title: 'Certificate expiring' });
      else
        deps.log.info(
          `${target.label}: ${result.status}${result.reached ? `, ${result.daysLeft} days left` : ''}${detail ? ` — ${detail}` : ''}`,
        );
      return result;
    }),
  );

  const reached = results.filter((r) => r.reached);
  return {
    results,
    failed: results.filter((r) => r.status === 'failed').map((r) => r.host),
    expiring: reached
      .filter((r) => !r.expired && (r.daysLeft as number) < options.thresholds.warnDays)
      .map((r) => r.host),
    expired: reached.filter((r) => r.expired).map((r) => r.host),
    minDaysLeft: reached.length ? Math.min(...reached.map((r) => r.daysLeft as number)) : undefined,
    thresholds: options.thresholds,
  };
}
