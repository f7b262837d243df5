/** Reads that several pages share. */
import { ListLoggingConfigurationsCommand, type LoggingConfigurationSummary } from '@aws-sdk/client-ivschat';
import type { Session } from './session';

/** Pages read at most, 50 each, when the console needs a whole list (e.g. a picker). */
const MAX_PAGES = 20;

export async function allLoggingConfigurations(session: Session): Promise<LoggingConfigurationSummary[]> {
  const out: LoggingConfigurationSummary[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await session.ivs.send(new ListLoggingConfigurationsCommand({ maxResults: 50, nextToken }));
    out.push(...(r.loggingConfigurations ?? []));
    nextToken = r.nextToken;
    if (!nextToken) break;
  }
  return out;
}

/** Where a logging configuration delivers, in words. */
export function destinationText(d: { s3?: { bucketName?: string }; cloudWatchLogs?: { logGroupName?: string }; firehose?: { deliveryStreamName?: string } } | undefined): string {
  if (d?.s3) return `S3 bucket ${d.s3.bucketName ?? '?'}`;
  if (d?.cloudWatchLogs) return `CloudWatch Logs group ${d.cloudWatchLogs.logGroupName ?? '?'}`;
  if (d?.firehose) return `Firehose stream ${d.firehose.deliveryStreamName ?? '?'}`;
  return 'No destination';
}
