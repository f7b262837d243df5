/**
 * Enforced mode: every request must carry a valid SigV4 signature (service `ivschat`) made
 * with a key pair of the auth file. The caller acts in the key's account and in the region of
 * the signature's scope, with the key's policy.
 */
import { UnrecognizedClientException } from '../domain/errors.js';
import type { AuthFile } from './auth-file.js';
import type { Authenticator, Caller, SignedRequest } from './authenticator.js';
import { compilePolicy, type PolicyDecision } from './policy.js';
import { parseQuery, readSignature } from './sigv4-claim.js';
import { checkClaim, SecretVerifier, verifySignature } from './sigv4-verifier.js';

export const SERVICE = 'ivschat';

interface KeyHolder {
  readonly accountId: string;
  readonly pendingVerification: boolean;
  readonly verifier: SecretVerifier;
  readonly isAllowed: PolicyDecision;
}

export class FileAuthenticator implements Authenticator {
  readonly mode = 'enforced' as const;
  private readonly keys = new Map<string, KeyHolder>();

  /** `now` gives the server clock in ms since epoch (tests move it). */
  constructor(
    file: AuthFile,
    private readonly now: () => number = Date.now,
  ) {
    for (const account of file.accounts) {
      for (const c of account.credentials) {
        this.keys.set(c.accessKeyId, {
          accountId: account.id,
          pendingVerification: account.pendingVerification,
          verifier: new SecretVerifier(SERVICE, c.secretAccessKey),
          isAllowed: compilePolicy(c.policy),
        });
      }
    }
  }

  async authenticate(request: SignedRequest): Promise<Caller> {
    const query = parseQuery(request.rawQuery);
    const claim = readSignature(request, query);
    const holder = this.keys.get(claim.accessKeyId);
    if (!holder) throw new UnrecognizedClientException(`The access key id ${claim.accessKeyId} is not known to this server`);
    // Temporary credentials are not issued here, so no session token can be valid.
    if (request.headers['x-amz-security-token'] !== undefined || query['X-Amz-Security-Token'] !== undefined) {
      throw new UnrecognizedClientException('The security token included in the request is invalid');
    }
    checkClaim(claim, SERVICE, this.now());
    verifySignature(holder.verifier, request, query, claim);
    return {
      scope: { accountId: holder.accountId, region: claim.region },
      pendingVerification: holder.pendingVerification,
      isAllowed: holder.isAllowed,
    };
  }
}
