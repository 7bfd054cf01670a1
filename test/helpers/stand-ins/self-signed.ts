import { execFileSync } from 'node:child_process';
import { isIP } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway key and self-signed certificate for the HTTPS stand-ins, made with the openssl
 * command at test time (no key is ever committed). Valid for localhost, 127.0.0.1, ::1 and the
 * extra addresses and names given (a namespace's), for one day.
 */
export function createSelfSignedCert(extraHosts: readonly string[] = []): {
  key: string;
  cert: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'sesame-cert-'));
  try {
    const names = [
      'DNS:localhost',
      'IP:127.0.0.1',
      'IP:::1',
      ...extraHosts.map((host) => (isIP(host) === 0 ? `DNS:${host}` : `IP:${host}`)),
    ];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=Sesame test stand-in',
        '-addext',
        `subjectAltName=${names.join(',')}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
