import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runBundle } from '../support/bundle.js';
import { type CertFixture, startCertFixture } from './fixture.js';
import { opensslMissing } from './pki.js';

/** The committed bundle, run as the runner runs it, against local TLS servers. */
const bundle = join(repoRoot, 'actions/cert-check/dist/index.js');
const skip = opensslMissing ?? (existsSync(bundle) ? undefined : 'no bundle: run npm run build');
if (skip) console.warn(`skipping cert-check bundle tests: ${skip}`);

describe.skipIf(skip)('cert-check bundle', () => {
  let fx: CertFixture;
  let workspace: string;
  beforeAll(async () => {
    fx = await startCertFixture();
    workspace = mkdtempSync(join(tmpdir(), 'cert-check-ws-'));
    writeFileSync(join(workspace, 'internal-ca.pem'), fx.root.cert);
  });
  afterAll(() => fx?.close());
  const at = (name: string) => `${name}:${fx.tls.port}=127.0.0.1`;

  it('passes with a warning annotation for a certificate inside warn-days', async () => {
    const run = await runBundle('cert-check', {
      inputs: { hosts: `${at('valid.test')}\n${at('warn.test')}`, 'ca-file': 'internal-ca.pem' },
      workspace,
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({
      expiring: JSON.stringify([at('warn.test')]),
      expired: '[]',
      'min-days-left': '19',
    });
    expect(JSON.parse(run.outputs.report as string)).toHaveLength(2);
    expect(run.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        title: 'Certificate expiring',
        message: expect.stringMatching(/in 19 days: fewer than 30 \(warn threshold\)$/),
      }),
    ]);
    expect(run.summary).toContain(`| ${at('warn.test')} | ⚠️ expiring | 19 |`);
  });

  it('fails on expired, untrusted and unreachable hosts: exit 1, outputs, summary', async () => {
    const run = await runBundle('cert-check', {
      inputs: {
        hosts: [at('expired.test'), at('rogue.test'), at('soon.test'), `valid.test:${fx.closedPort}=127.0.0.1`].join(
          ', ',
        ),
        'ca-file': 'internal-ca.pem',
        timeout: '3s',
      },
      workspace,
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({
      expiring: JSON.stringify([at('soon.test')]),
      expired: JSON.stringify([at('expired.test')]),
    });
    const report = JSON.parse(run.outputs.report as string) as {
      host: string;
      status: string;
      reached: boolean;
      trusted?: boolean;
    }[];
    expect(report.map((r) => [r.status, r.reached, r.trusted])).toEqual([
      ['failed', true, true],
      ['failed', true, false],
      ['failed', true, true],
      ['failed', false, undefined],
    ]);
    expect(run.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /^cert-check: 4 of 4 certificates failed: /,
    );
    expect(run.summary).toContain('❌ 4 of 4 failed');
    expect(run.summary).toMatch(
      /\| ❌ failed \| 2 \| \d{4}-\d\d-\d\d \| CN=soon \| CN=Runbook Test Root \| trusted \| matches \| the certificate expires on/,
    );
  });
});
