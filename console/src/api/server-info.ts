/**
 * What the console learns before its first signed call: GET /console/config.json
 * (docs/adr/0060-console-config-json.md). `auth: 'open'` means any credentials are accepted, so
 * the console signs with fixed placeholder keys and shows no sign-in.
 */
export interface ServerInfo {
  readonly auth: 'open' | 'enforced';
  /** The server's default region (PARLOR_REGION): what the console signs for unless told otherwise. */
  readonly region: string;
  readonly mode: 'embedded' | 'cluster';
  readonly node: string;
  /** Whether GET /metrics needs `Authorization: Bearer <PARLOR_METRICS_TOKEN>`. */
  readonly metricsToken: boolean;
}

export async function fetchServerInfo(): Promise<ServerInfo> {
  const response = await fetch('/console/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET /console/config.json answered ${response.status}`);
  return (await response.json()) as ServerInfo;
}
