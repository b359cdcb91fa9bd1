import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cert-check/main.js';
import { systemClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/core/logger.js';
import { actionEnv } from '../health-check/action-env.js';
import { type CertFixture, startCertFixture } from './fixture.js';
import { opensslMissing } from './pki.js';

if (opensslMissing) console.warn(`skipping cert-check action tests: ${opensslMissing}`);

// core.setFailed sets the exit code of this worker; the action's failure is what these tests assert.
afterEach(() => {
  process.exitCode = undefined;
});

describe.skipIf(opensslMissing)('cert-check action', () => {
  let fx: CertFixture;
  beforeAll(async () => {
    fx = await startCertFixture();
  });
  afterAll(() => fx?.close());
  const at = (name: string) => `${name}:${fx.tls.port}=127.0.0.1`;

  function step(inputs: Record<string, string>, policy?: string) {
    const s = actionEnv('cert-check', inputs);
    writeFileSync(join(s.workspace, 'internal-ca.pem'), fx.root.cert);
    if (policy) {
      mkdirSync(join(s.workspace, '.github'));
      writeFileSync(join(s.workspace, '.github/runbook.yml'), policy);
    }
    return s;
  }
  const go = (s: ReturnType<typeof step>) => run({ env: s.env, clock: systemClock, log: memoryLogger() });

  it('passes valid and expiring certificates, with outputs and a summary row per host', async () => {
    const s = step({ hosts: [at('valid.test'), at('warn.test')].join('\n'), 'ca-file': 'internal-ca.pem' });
    const result = await go(s);
    expect(result.ok).toBe(true);
    const outputs = s.outputs();
    expect(outputs).toMatchObject({
      expiring: JSON.stringify([at('warn.test')]),
      expired: '[]',
      'min-days-left': '19',
    });
    const report = JSON.parse(outputs.report as string);
    expect(report.map((r: { host: string; status: string }) => [r.host, r.status])).toEqual([
      [at('valid.test'), 'ok'],
      [at('warn.test'), 'warning'],
    ]);
    const summary = s.summary();
    expect(summary).toContain('## Certificate check');
    expect(summary).toContain('⚠️ 1 of 2 expiring within 30 days');
    expect(summary).toMatch(
      new RegExp(
        `\\| ${at('valid.test')} \\| ✅ ok \\| 364 \\| \\d{4}-\\d\\d-\\d\\d \\| CN=valid.test \\| CN=Runbook Test Intermediate \\| trusted \\| matches \\| — \\|`,
      ),
    );
    expect(summary).toContain('Thresholds: fail under 7 days left, warn under 30.');
  });

  it('fails on expired, untrusted, mismatched and unreachable hosts, naming each', async () => {
    const hosts = [
      at('valid.test'),
      at('expired.test'),
      at('self.test'),
      at('wrong.test'),
      `valid.test:${fx.closedPort}=127.0.0.1`,
    ];
    const s = step({ hosts: hosts.join(', '), 'ca-file': 'internal-ca.pem' });
    const result = await go(s);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^cert-check: 4 of 5 certificates failed: /);
    expect(result.error).toContain(`${at('expired.test')} (the certificate expired on 2020-02-01`);
    expect(result.error).toContain(
      `${at('self.test')} (untrusted chain: self-signed certificate, not trusted (DEPTH_ZERO_SELF_SIGNED_CERT))`,
    );
    expect(result.error).toContain(`${at('wrong.test')} (host name mismatch`);
    expect(result.error).toContain('(connection refused by 127.0.0.1:');
    expect(result.error).toMatch(/for an internal CA, pass its certificate in ca-file$/);
    expect(s.outputs()).toMatchObject({ expiring: '[]', expired: JSON.stringify([at('expired.test')]) });
    expect(Number(s.outputs()['min-days-left'])).toBeLessThan(-2000);
    expect(s.summary()).toMatch(/\| ❌ failed \| — \| — \| — \| — \| — \| — \| connection refused/);
    expect(s.summary()).toContain('### ❌ cert-check failed');
  });

  it('takes the thresholds from the policy; inputs override them', async () => {
    const policy = 'certificates:\n  warnDays: 10\n  failDays: 5\n';
    const quiet = step({ hosts: at('warn.test'), 'ca-file': 'internal-ca.pem' }, policy);
    expect((await go(quiet)).ok).toBe(true);
    expect(quiet.outputs().expiring).toBe('[]');

    const strict = step(
      { hosts: at('warn.test'), 'ca-file': 'internal-ca.pem', 'fail-days': '25', 'warn-days': '60' },
      policy,
    );
    const result = await go(strict);
    expect(result.error).toContain('in 19 days: fewer than 25 (fail threshold)');
    expect(strict.outputs().expiring).toBe(JSON.stringify([at('warn.test')]));
  });

  it('names bad inputs and what is allowed', async () => {
    const bad = step({ hosts: 'https://example.com, example.com:70000', 'warn-days': 'soon', timeout: '0s' });
    const error = (await go(bad)).error as string;
    expect(error).toMatch(/^cert-check: invalid configuration — input "hosts"/);
    expect(error).toContain('"https://example.com" is a URL; expected host[:port][=address]');
    expect(error).toContain('"example.com:70000" has a port outside 1-65535');
    expect(error).toContain('input "warn-days" (got "soon"): expected a whole number');
    expect(error).toContain('input "timeout" (got "0s"): must be longer than zero');

    const inverted = step({ hosts: 'example.com', 'fail-days': '40' });
    expect((await go(inverted)).error).toContain(
      'input "fail-days" (got "40"): fail-days (40) must not be more than warn-days (30)',
    );

    const missing = step({ hosts: 'example.com', 'ca-file': 'nope.pem' });
    expect((await go(missing)).error).toMatch(
      /input "ca-file" \(got "nope\.pem"\): cannot be read \(ENOENT.*\); expected a PEM file of CA certificates/,
    );

    const notPem = step({ hosts: 'example.com', 'ca-file': '.github/runbook.yml' }, 'version: 1\n');
    expect((await go(notPem)).error).toContain('input "ca-file" (got ".github/runbook.yml"): holds no PEM certificate');
  });
});
