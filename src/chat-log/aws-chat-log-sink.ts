/**
 * The AWS chat-log sink (`PARLOR_CHAT_LOG_SINK=aws`): S3, CloudWatch Logs and Firehose through
 * the AWS SDK v3 clients, with the standard credential chain and endpoint configuration
 * (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`, `AWS_ENDPOINT_URL_FIREHOSE`,
 * `AWS_ENDPOINT_URL`, shared config files). Clients are made per region on first use: a
 * destination lives in the region of the room whose records it takes.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import type { CallOptions } from './aws-clients.js';
import type { ChatLogBatch, ChatLogSink, DeliveryOutcome } from './chat-log-sink.js';
import { deliverToCloudWatchLogs } from './cloudwatch-logs-chat-log-sink.js';
import { deliverToFirehose } from './firehose-chat-log-sink.js';
import { deliverToS3 } from './s3-chat-log-sink.js';

export interface AwsChatLogSinkOptions extends Partial<CallOptions> {
  /** Path-style S3 URLs (needed by S3-compatible endpoints such as moto or MinIO). */
  readonly s3ForcePathStyle?: boolean;
  /** Explicit credentials (tests); default: the SDK's credential chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

interface RegionClients {
  readonly s3: S3Client;
  readonly logs: CloudWatchLogsClient;
  readonly firehose: FirehoseClient;
}

export class AwsChatLogSink implements ChatLogSink {
  private readonly regions = new Map<string, RegionClients>();
  private readonly call: CallOptions;

  constructor(private readonly options: AwsChatLogSinkOptions = {}) {
    this.call = { timeoutMs: options.timeoutMs ?? 15_000, partialRetryMs: options.partialRetryMs ?? 200 };
  }

  private clients(region: string): RegionClients {
    let clients = this.regions.get(region);
    if (!clients) {
      const common = { region, ...(this.options.credentials ? { credentials: { ...this.options.credentials } } : {}) };
      clients = {
        s3: new S3Client({ ...common, forcePathStyle: this.options.s3ForcePathStyle ?? false }),
        logs: new CloudWatchLogsClient(common),
        firehose: new FirehoseClient(common),
      };
      this.regions.set(region, clients);
    }
    return clients;
  }

  async deliver(batch: ChatLogBatch): Promise<DeliveryOutcome> {
    const clients = this.clients(batch.target.region);
    switch (batch.target.kind) {
      case 's3':
        return deliverToS3(clients.s3, batch, this.call);
      case 'cloudWatchLogs':
        return deliverToCloudWatchLogs(clients.logs, batch, this.call);
      case 'firehose':
        return deliverToFirehose(clients.firehose, batch, this.call);
    }
  }

  async close(): Promise<void> {
    for (const c of this.regions.values()) {
      c.s3.destroy();
      c.logs.destroy();
      c.firehose.destroy();
    }
    this.regions.clear();
  }
}
