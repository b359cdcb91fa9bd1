import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Issued, Pki } from './pki.js';
import { closedPort, type Listening, serveSilence, serveTls } from './servers.js';

const DAY = 86_400_000;

/**
 * One PKI and the servers every cert-check test talks to. A root and an intermediate CA (trusted via
 * ca-file), a rogue root (not trusted), and one site per case, served by SNI from one TLS server:
 *   valid.test      leaf ← intermediate ← root, chain sent, DNS:valid.test + IP:127.0.0.1, 365 days
 *   soon.test       expires in 3 days          warn.test     expires in 20 days
 *   expired.test    expired 2020-02-01         future.test   valid from 10 days from now
 *   wrong.test      serves a certificate for other.test only
 *   self.test       self-signed                selfexp.test  self-signed and expired
 *   rogue.test      issued by the rogue root   nochain.test  valid leaf, intermediate not sent
 */
export interface CertFixture {
  dir: string;
  root: Issued;
  leaves: Record<string, Issued>;
  tls: Listening;
  silent: Listening;
  closedPort: number;
  close(): Promise<void>;
}

export async function startCertFixture(): Promise<CertFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'cert-check-'));
  const pki = await Pki.create(join(dir, 'pki'));
  const now = Date.now();
  const [root, rogue] = await Promise.all([
    pki.issue('root', { ca: true, commonName: 'Runbook Test Root' }),
    pki.issue('rogue', { ca: true, commonName: 'Rogue Root' }),
  ]);
  const intermediate = await pki.issue('intermediate', {
    ca: true,
    issuer: root,
    commonName: 'Runbook Test Intermediate',
  });
  const dns = (name: string) => [`DNS:${name}`];
  const [valid, soon, warn, expired, future, wrong, self, selfexp, untrusted] = await Promise.all([
    pki.issue('valid', { issuer: intermediate, names: ['DNS:valid.test', 'IP:127.0.0.1'], commonName: 'valid.test' }),
    pki.issue('soon', { issuer: root, names: dns('soon.test'), notAfter: new Date(now + 3 * DAY) }),
    pki.issue('warn', { issuer: root, names: dns('warn.test'), notAfter: new Date(now + 20 * DAY) }),
    pki.issue('expired', {
      issuer: root,
      names: dns('expired.test'),
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2020-02-01T00:00:00Z'),
    }),
    pki.issue('future', {
      issuer: root,
      names: dns('future.test'),
      notBefore: new Date(now + 10 * DAY),
      notAfter: new Date(now + 400 * DAY),
    }),
    pki.issue('wrong', { issuer: root, names: dns('other.test') }),
    pki.issue('self', { names: dns('self.test') }),
    pki.issue('selfexp', {
      names: dns('selfexp.test'),
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2020-02-01T00:00:00Z'),
    }),
    pki.issue('untrusted', { issuer: rogue, names: dns('rogue.test') }),
  ]);
  const leaves = { valid, soon, warn, expired, future, wrong, self, selfexp, untrusted } as Record<string, Issued>;
  const tls = await serveTls(
    {
      'valid.test': { leaf: valid, chain: [intermediate] },
      'soon.test': { leaf: soon },
      'warn.test': { leaf: warn },
      'expired.test': { leaf: expired },
      'future.test': { leaf: future },
      'wrong.test': { leaf: wrong },
      'self.test': { leaf: self },
      'selfexp.test': { leaf: selfexp },
      'rogue.test': { leaf: untrusted },
      'nochain.test': { leaf: valid },
    },
    'valid.test',
  );
  const silent = await serveSilence();
  return {
    dir,
    root,
    leaves,
    tls,
    silent,
    closedPort: await closedPort(),
    close: async () => {
      await Promise.all([tls.close(), silent.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
