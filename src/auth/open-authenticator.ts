/**
 * Open mode, the zero-configuration default for local development: every request is the one
 * configured account, allowed everything, in the region its signature names (or the default
 * region when unsigned). Signatures are not verified.
 */
import type { Authenticator, Caller, SignedRequest } from './authenticator.js';
import { signedRegion } from './authenticator.js';

export class OpenAuthenticator implements Authenticator {
  readonly mode = 'open' as const;
  constructor(
    private readonly accountId: string,
    private readonly defaultRegion: string,
  ) {}

  async authenticate(request: SignedRequest): Promise<Caller> {
    return {
      scope: { accountId: this.accountId, region: signedRegion(request) ?? this.defaultRegion },
      pendingVerification: false,
      isAllowed: () => true,
    };
  }
}
