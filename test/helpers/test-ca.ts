/**
 * A certificate authority made for one test run with openssl, and server certificates it
 * signs for 127.0.0.1 / localhost. Clients trust it through NODE_EXTRA_CA_CERTS-style options
 * (`ca`), AWS_CA_BUNDLE for boto3 and the AWS CLI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  readonly dir: string;
  /** PEM file of the CA certificate. */
  readonly caFile: string;
  /** Signs a new server certificate (new key) and writes it to `certFile` / `keyFile`. */
  issue(certFile: string, keyFile: string, commonName?: string): void;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'parlor-ca-'));
  const caFile = join(dir, 'ca.pem');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Parlor Test CA'], dir);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  let serial = 1;
  return {
    dir,
    caFile,
    issue(certFile, keyFile, commonName = 'localhost') {
      const csr = join(dir, `server-${serial}.csr`);
      openssl(['req', '-new', ...ec, '-keyout', keyFile, '-out', csr, '-subj', `/CN=${commonName}`], dir);
      openssl(['x509', '-req', '-in', csr, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(1000 + serial++), '-days', '2', '-out', certFile, '-extfile', 'san.ext'], dir);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether openssl can be run here. */
export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
