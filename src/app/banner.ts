/** What Parlor prints once it serves: where to point clients, the mode, and what it uses. */
import { resolve } from 'node:path';
import type { RunningParlor } from './start.js';

/** The start banner of one node (a workers' primary prints the first worker's, with every node id). */
export function bannerLines(parlor: RunningParlor): string[] {
  const { config } = parlor;
  return [
    `Parlor is ready (${parlor.mode} mode)`,
    `  control plane:  ${parlor.endpoint}   (AWS_ENDPOINT_URL_IVSCHAT=${parlor.endpoint})`,
    `  chat WebSocket: ${parlor.chatUrl}   (regionOrUrl: '${parlor.chatUrl}')`,
    parlor.consoleBuilt ? `  web console:    ${parlor.endpoint}/console` : '  web console:    not built (run `npm run build`)',
    `  node id:        ${parlor.nodeId}`,
    ...parlor.banner,
    ...(parlor.mode === 'cluster' ? [`  data directory: ${resolve(config.dataDir)} (this node's chat-log spool)`] : []),
    parlor.authMode === 'open'
      ? `  authentication: open (any request acts as account ${config.accountId}; no auth file given)`
      : `  authentication: enforced (SigV4, accounts from ${config.authFile})`,
  ];
}
