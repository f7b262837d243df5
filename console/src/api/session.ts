/**
 * The signed-in state: credentials (enforced mode) or placeholders (open mode), and the clients
 * built from them. Credentials live in sessionStorage only — gone when the tab closes, never
 * sent anywhere except as SigV4 signatures (the secret itself never leaves the page).
 */
import { IvschatClient } from '@aws-sdk/client-ivschat';
import { ParlorClient } from 'parlor/client';
import type { ServerInfo } from './server-info';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface Session {
  readonly info: ServerInfo;
  readonly region: string;
  /** The key id shown in the header (undefined in open mode). */
  readonly accessKeyId: string | undefined;
  readonly ivs: IvschatClient;
  readonly parlor: ParlorClient;
  /** `ws(s)://host:port` of this server, for the chat client. */
  readonly chatUrl: string;
}

const STORAGE_KEY = 'parlor-console.credentials';
/** Open mode accepts any well-formed signature; these only make one. */
const OPEN_MODE_CREDENTIALS: Credentials = { accessKeyId: 'PARLORCONSOLE', secretAccessKey: 'open-mode' };

interface Stored extends Credentials {
  readonly region: string;
}

export function storedSignIn(): Stored | undefined {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<Stored>;
    if (typeof parsed.accessKeyId === 'string' && typeof parsed.secretAccessKey === 'string' && typeof parsed.region === 'string') return parsed as Stored;
  } catch {
    // A damaged entry is dropped below.
  }
  sessionStorage.removeItem(STORAGE_KEY);
  return undefined;
}

export function rememberSignIn(credentials: Credentials, region: string): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ ...credentials, region }));
}

export function forgetSignIn(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export function makeSession(info: ServerInfo, credentials: Credentials | undefined, region = info.region): Session {
  const creds = credentials ?? OPEN_MODE_CREDENTIALS;
  const endpoint = location.origin;
  return {
    info,
    region,
    accessKeyId: credentials?.accessKeyId,
    ivs: new IvschatClient({ region, endpoint, credentials: creds, maxAttempts: 1 }),
    parlor: new ParlorClient({ region, endpoint, credentials: creds }),
    chatUrl: endpoint.replace(/^http/, 'ws'),
  };
}
