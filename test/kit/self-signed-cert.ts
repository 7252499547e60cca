// A self-signed certificate for 127.0.0.1 made by openssl, for the test servers that speak TLS
// (an OCI registry, an admission webhook).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCert {
  /** PEM files: the certificate (its own CA) and its key. */
  cert: string;
  key: string;
}

/** Why a TLS registry cannot be made here (no openssl), or null. */
export function opensslSkipReason(): string | null {
  return existsSync('/usr/bin/openssl') ? null : '/usr/bin/openssl is absent (it makes the test certificate)';
}

/** A self-signed certificate for 127.0.0.1 (its own CA: NODE_EXTRA_CA_CERTS, helm's --ca-file). */
export async function selfSignedCert(dir: string): Promise<TestCert> {
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  await new Promise<void>((resolve, reject) =>
    execFile(
      '/usr/bin/openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      (err, _out, stderr) => (err ? reject(new Error(`openssl: ${stderr || err.message}`)) : resolve()),
    ),
  );
  return { cert, key };
}
