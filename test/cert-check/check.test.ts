import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCertificates } from '../../src/cert-check/check.js';
import type { CertResult } from '../../src/cert-check/evaluate.js';
import { parseHostEntries } from '../../src/cert-check/hosts.js';
import { fixedClock, systemClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/core/logger.js';
import { type CertFixture, startCertFixture } from './fixture.js';
import { opensslMissing } from './pki.js';

if (opensslMissing) console.warn(`skipping cert-check TLS tests: ${opensslMissing}`);

describe.skipIf(opensslMissing)('checkCertificates against local TLS servers', () => {
  let fx: CertFixture;
  beforeAll(async () => {
    fx = await startCertFixture();
  });
  afterAll(() => fx?.close());

  const thresholds = { warnDays: 30, failDays: 7 };
  const at = (name: string) => `${name}:${fx.tls.port}=127.0.0.1`;
  async function check(
    hosts: string[],
    options: { clock?: ReturnType<typeof fixedClock>; trustRoot?: boolean; timeoutMs?: number } = {},
  ) {
    const log = memoryLogger();
    const report = await checkCertificates(
      {
        targets: parseHostEntries(hosts),
        thresholds,
        timeoutMs: options.timeoutMs ?? 5_000,
        extraCa: options.trustRoot === false ? undefined : [fx.root.cert],
      },
      { clock: options.clock ?? systemClock, log },
    );
    return { report, log, only: report.results[0] as CertResult };
  }

  it('passes a valid certificate: chain sent and trusted, host name matches, days left by the clock', async () => {
    const { only, report } = await check([at('valid.test')]);
    expect(only).toMatchObject({
      status: 'ok',
      problems: [],
      warnings: [],
      reached: true,
      trusted: true,
      hostnameMatches: true,
      expired: false,
      notYetValid: false,
      subject: 'CN=valid.test',
      issuer: 'CN=Runbook Test Intermediate',
      daysLeft: 364,
    });
    expect(only.chain?.map((c) => c.subject)).toEqual([
      'CN=valid.test',
      'CN=Runbook Test Intermediate',
      'CN=Runbook Test Root',
    ]);
    expect(only.validTo).toBe(new X509Certificate(fx.leaves.valid?.cert as string).validToDate.toISOString());
    expect(report).toMatchObject({ failed: [], expiring: [], expired: [], minDaysLeft: 364 });
  });

  it('sends SNI: the server picks the certificate by the name checked', async () => {
    const { report } = await check([at('valid.test'), at('warn.test')]);
    expect(report.results.map((r) => r.subject)).toEqual(['CN=valid.test', 'CN=warn']);
  });

  it('checks an IP address against the IP SANs, without SNI', async () => {
    const { only } = await check([`127.0.0.1:${fx.tls.port}`]);
    expect(only).toMatchObject({ status: 'ok', hostnameMatches: true, subject: 'CN=valid.test' });
  });

  it('does not trust an internal CA unless ca-file names it', async () => {
    const { only } = await check([at('valid.test')], { trustRoot: false });
    expect(only.status).toBe('failed');
    expect(only.trusted).toBe(false);
    expect(only.problems).toEqual([
      expect.stringMatching(/^untrusted chain: .*\(UNABLE_TO_GET_ISSUER_CERT_LOCALLY\)$/),
    ]);
  });

  it('warns under warnDays and fails under failDays', async () => {
    const { report } = await check([at('warn.test'), at('soon.test')]);
    const [warn, soon] = report.results as [CertResult, CertResult];
    expect(warn).toMatchObject({ status: 'warning', daysLeft: 19, problems: [] });
    expect(warn.warnings).toEqual([
      expect.stringMatching(
        /^the certificate expires on \d{4}-\d\d-\d\d, in 19 days: fewer than 30 \(warn threshold\)$/,
      ),
    ]);
    expect(soon).toMatchObject({ status: 'failed', daysLeft: 2 });
    expect(soon.problems).toEqual([expect.stringMatching(/in 2 days: fewer than 7 \(fail threshold\)$/)]);
    expect(report).toMatchObject({
      expiring: [at('warn.test'), at('soon.test')],
      expired: [],
      failed: [at('soon.test')],
      minDaysLeft: 2,
    });
  });

  it('fails an expired certificate, judged by dates and still reported as trusted', async () => {
    const { only, report } = await check([at('expired.test')]);
    expect(only).toMatchObject({ status: 'failed', expired: true, trusted: true, hostnameMatches: true });
    expect(only.problems).toEqual([expect.stringMatching(/^the certificate expired on 2020-02-01 \(\d+ days ago\)$/)]);
    expect(only.daysLeft).toBeLessThan(-2000);
    expect(report).toMatchObject({ expired: [at('expired.test')], expiring: [] });
  });

  it('fails a certificate that is not valid yet', async () => {
    const { only } = await check([at('future.test')]);
    expect(only).toMatchObject({ status: 'failed', notYetValid: true, expired: false });
    expect(only.problems).toEqual([expect.stringMatching(/^the certificate is not valid before \d{4}-\d\d-\d\dT/)]);
  });

  it('fails a certificate for another host name', async () => {
    const { only } = await check([at('wrong.test')]);
    expect(only).toMatchObject({ status: 'failed', trusted: true, hostnameMatches: false });
    expect(only.problems).toEqual([
      "host name mismatch: Host: wrong.test. is not in the cert's altnames: DNS:other.test",
    ]);
  });

  it('fails self-signed certificates and chains to an unknown root, naming the reason', async () => {
    const { report } = await check([at('self.test'), at('rogue.test'), at('nochain.test')]);
    const [self, rogue, nochain] = report.results as [CertResult, CertResult, CertResult];
    expect(self.problems).toEqual([
      'untrusted chain: self-signed certificate, not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)',
    ]);
    expect(rogue.problems).toEqual([
      expect.stringMatching(/^untrusted chain: .*\(UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)\)$/),
    ]);
    // The valid leaf, sent without its intermediate: the host name is fine, the chain is not.
    expect(nochain).toMatchObject({ status: 'failed', trusted: false, hostnameMatches: false });
  });

  it('an expired self-signed certificate is both expired and untrusted (OpenSSL reports only the expiry)', async () => {
    const { only } = await check([at('selfexp.test')]);
    expect(only.expired).toBe(true);
    expect(only.trusted).toBe(false);
    expect(only.problems).toEqual([
      expect.stringMatching(/^the certificate expired on 2020-02-01/),
      'untrusted chain: self-signed certificate, not trusted',
    ]);
  });

  it('judges days left with the injected clock', async () => {
    const validTo = new X509Certificate(fx.leaves.valid?.cert as string).validToDate.getTime();
    const days = (n: number) => n * 86_400_000;
    const fail = await check([at('valid.test')], { clock: fixedClock(new Date(validTo - days(5) + 3_600_000)) });
    expect(fail.only).toMatchObject({ status: 'failed', daysLeft: 4 });
    const warn = await check([at('valid.test')], { clock: fixedClock(new Date(validTo - days(20))) });
    expect(warn.only).toMatchObject({ status: 'warning', daysLeft: 20 });
    const edge = await check([at('valid.test')], { clock: fixedClock(new Date(validTo - days(7))) });
    expect(edge.only).toMatchObject({ status: 'warning', daysLeft: 7 });
    const after = await check([at('valid.test')], { clock: fixedClock(new Date(validTo + days(1))) });
    expect(after.only).toMatchObject({ status: 'failed', expired: true, daysLeft: -1, trusted: true });
  });

  it('reports an unreachable host and a silent one as failures with the reason, not a crash', async () => {
    const { report } = await check(
      [`valid.test:${fx.closedPort}=127.0.0.1`, `valid.test:${fx.silent.port}=127.0.0.1`],
      { timeoutMs: 300 },
    );
    const [refused, silent] = report.results as [CertResult, CertResult];
    expect(refused).toMatchObject({
      status: 'failed',
      reached: false,
      problems: [`connection refused by 127.0.0.1:${fx.closedPort} (ECONNREFUSED)`],
    });
    expect(silent).toMatchObject({ status: 'failed', reached: false, problems: ['no TLS handshake within 300ms'] });
    expect(report.minDaysLeft).toBeUndefined();
  });

  it('reports a host name that does not resolve', async () => {
    const { only } = await check(['nonexistent.invalid'], { timeoutMs: 5_000 });
    expect(only).toMatchObject({ status: 'failed', reached: false });
    expect(only.problems).toEqual([
      expect.stringMatching(/^cannot resolve nonexistent\.invalid \((ENOTFOUND|EAI_AGAIN)\)$/),
    ]);
  });

  it('checks many hosts at once and logs a warning for the expiring ones', async () => {
    const { report, log } = await check(['valid.test', 'warn.test', 'expired.test', 'self.test'].map(at));
    expect(report.results.map((r) => r.status)).toEqual(['ok', 'warning', 'failed', 'failed']);
    expect(log.lines.filter((l) => l.startsWith('warning:'))).toEqual([
      expect.stringContaining(`${at('warn.test')}: the certificate expires`),
    ]);
  });
});
