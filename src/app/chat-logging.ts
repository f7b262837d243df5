/**
 * Chooses and opens chat logging for the composition root: the local sink (files under
 * `<dataDir>/chat-logs`, default) or the AWS sink (`chatLogSink: 'aws'`), behind the pipeline
 * that batches, retries and spools under `<dataDir>/chat-log-spool`.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { AwsChatLogSink } from '../chat-log/aws-chat-log-sink.js';
import { ChatLogPipeline } from '../chat-log/chat-log-pipeline.js';
import type { ChatLogSink } from '../chat-log/chat-log-sink.js';
import { LocalChatLogSink } from '../chat-log/local-chat-log-sink.js';
import type { Store } from '../store/store.js';
import type { Config } from './config.js';

export async function openChatLogging(
  config: Config,
  store: Store,
  registry: Registry,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChatLogPipeline> {
  let sink: ChatLogSink;
  switch (config.chatLogSink) {
    case 'local':
      sink = new LocalChatLogSink(join(config.dataDir, 'chat-logs'));
      break;
    case 'aws':
      // A custom S3 endpoint (moto, MinIO, LocalStack) rarely resolves bucket subdomains.
      sink = new AwsChatLogSink({ s3ForcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL) });
      break;
  }
  return ChatLogPipeline.open({
    sink,
    spoolDir: join(config.dataDir, 'chat-log-spool'),
    loadConfiguration: (arn) => store.getLoggingConfiguration(arn),
    registry,
    logger: logger.child({ part: 'chat-log' }),
  });
}
