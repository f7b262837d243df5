/** Reads what the local chat-log sink wrote under a data directory; sets up logged rooms. */
import { CreateLoggingConfigurationCommand, CreateRoomCommand, type CreateRoomCommandOutput, type IvschatClient } from '@aws-sdk/client-ivschat';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pathSegment } from '../../src/chat-log/local-chat-log-sink.js';

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

const linesOf = (text: string) => text.split('\n').filter((l) => l !== '');
const fileLines = (path: string) => (existsSync(path) ? linesOf(readFileSync(path, 'utf8')) : []);

export function readLocalChatLogs(dataDir: string) {
  const root = join(dataDir, 'chat-logs');
  return {
    /** Objects of the bucket (key order), each with its gunzipped lines. */
    s3(bucket: string): { key: string; lines: string[] }[] {
      const base = join(root, 's3', pathSegment(bucket));
      return walk(base).map((p) => ({ key: relative(base, p).split(sep).join('/'), lines: linesOf(gunzipSync(readFileSync(p)).toString('utf8')) }));
    },
    cloudWatchLogs(group: string, roomId: string): string[] {
      return fileLines(join(root, 'cloudwatch-logs', pathSegment(group), 'aws', 'IVSChatLogs', '1.0', `room_${roomId}.ndjson`));
    },
    firehose(stream: string): string[] {
      return fileLines(join(root, 'firehose', `${pathSegment(stream)}.ndjson`));
    },
  };
}

/**
 * One logging configuration of each kind (S3 bucket, CloudWatch Logs group, Firehose stream,
 * with the given names) and a room that lists all three, created through the SDK.
 */
export async function roomLoggedToEachKind(
  client: IvschatClient,
  names: { bucket: string; logGroup: string; stream: string },
): Promise<{ room: CreateRoomCommandOutput; configurationArns: string[] }> {
  const configurationArns: string[] = [];
  for (const destinationConfiguration of [
    { s3: { bucketName: names.bucket } },
    { cloudWatchLogs: { logGroupName: names.logGroup } },
    { firehose: { deliveryStreamName: names.stream } },
  ]) {
    configurationArns.push((await client.send(new CreateLoggingConfigurationCommand({ destinationConfiguration }))).arn!);
  }
  const room = await client.send(new CreateRoomCommand({ loggingConfigurationIdentifiers: configurationArns }));
  return { room, configurationArns };
}
