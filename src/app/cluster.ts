/**
 * Cluster mode: PostgreSQL for what is durable and shared, Redis for what moves between nodes.
 */
import type { Logger } from 'pino';
import type { Backend } from './backend.js';
import { ConfigError, type Config } from './config.js';
import type { Opened } from './opened.js';

export async function openCluster(_config: Config, _nodeId: string, _opened: Opened, _logger: Logger): Promise<Backend> {
  throw new ConfigError('Cluster mode (PARLOR_DATABASE_URL and PARLOR_REDIS_URL) is not available in this build yet.');
}
