import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Test certificates made with the openssl binary (no shell): `openssl ca` takes explicit
 * -startdate/-enddate, so certificates can be expired, expiring or not yet valid by the real clock
 * (OpenSSL 3.0 has no `x509 -not_after`, and faketime is not available).
 */
export const OPENSSL = '/usr/bin/openssl';
export const opensslMissing = existsSync(OPENSSL)
  ? undefined
  : `${OPENSSL} not found: the cert-check TLS tests need it`;

const run = promisify(execFile);

export interface Issued {
  name: string;
  key: string;
  cert: string;
  /** Path of the certificate's PEM file. */
  certFile: string;
}

const DAY = 86_400_000;

/** `openssl ca` date format, UTC: YYYYMMDDHHMMSSZ. */
function asn1Time(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

export class Pki {
  private serial = 0x1000;
  constructor(readonly dir: string) {}

  static async create(dir: string): Promise<Pki> {
    await mkdir(dir, { recursive: true });
    return new Pki(dir);
  }

  private async request(name: string, commonName: string): Promise<{ key: string; csr: string }> {
    const key = join(this.dir, `${name}.key`);
    const csr = join(this.dir, `${name}.csr`);
    await run(OPENSSL, [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      `/CN=${commonName}`,
    ]);
    return { key, csr };
  }

  /**
   * Issues a certificate. `issuer` undefined: self-signed. `ca`: a CA certificate. `names`: subjectAltName
   * entries such as DNS:valid.test or IP:127.0.0.1. Dates default to yesterday .. +365 days (CAs: +3650 days).
   */
  async issue(
    name: string,
    options: {
      issuer?: Issued;
      ca?: boolean;
      names?: string[];
      commonName?: string;
      notBefore?: Date;
      notAfter?: Date;
    },
  ): Promise<Issued> {
    const { key, csr } = await this.request(name, options.commonName ?? name);
    const workdir = join(this.dir, `${name}.ca`);
    await mkdir(workdir, { recursive: true });
    await writeFile(join(workdir, 'index.txt'), '');
    await writeFile(join(workdir, 'serial'), `${(this.serial++).toString(16)}\n`);
    const extensions = options.ca
      ? ['basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign']
      : [
          'basicConstraints = critical,CA:FALSE',
          'keyUsage = critical,digitalSignature',
          'extendedKeyUsage = serverAuth',
          ...(options.names?.length ? [`subjectAltName = ${options.names.join(',')}`] : []),
        ];
    const config = [
      '[ca]',
      'default_ca = local',
      '[local]',
      `database = ${join(workdir, 'index.txt')}`,
      `new_certs_dir = ${workdir}`,
      `serial = ${join(workdir, 'serial')}`,
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      'email_in_dn = no',
      '[any]',
      'commonName = supplied',
      '[extensions]',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      ...extensions,
    ].join('\n');
    const configFile = join(workdir, 'ca.cnf');
    await writeFile(configFile, `${config}\n`);
    const certFile = join(this.dir, `${name}.pem`);
    const now = Date.now();
    const signer = options.issuer
      ? ['-cert', options.issuer.certFile, '-keyfile', join(this.dir, `${options.issuer.name}.key`)]
      : ['-selfsign', '-keyfile', key];
    await run(OPENSSL, [
      'ca',
      '-batch',
      '-notext',
      '-config',
      configFile,
      '-extensions',
      'extensions',
      '-in',
      csr,
      '-out',
      certFile,
      '-startdate',
      asn1Time(options.notBefore ?? new Date(now - DAY)),
      '-enddate',
      asn1Time(options.notAfter ?? new Date(now + (options.ca ? 3650 : 365) * DAY)),
      ...signer,
    ]);
    return { name, key: await readFile(key, 'utf8'), cert: await readFile(certFile, 'utf8'), certFile };
  }
}
