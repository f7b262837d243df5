/** Firehose's FailedPutCount: only refused records are sent again; what stays refused is reported. */
import type { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deliverToFirehose } from '../../src/chat-log/firehose-chat-log-sink.js';
import type { ChatLogBatch } from '../../src/chat-log/chat-log-sink.js';

const batch: ChatLogBatch = {
  target: { kind: 'firehose', name: 'stream', accountId: '123456789012', region: 'us-west-2', roomId: '' },
  batchId: 'batchAAAAAAA',
  entries: ['a', 'b', 'c', 'd'].map((l, i) => ({ at: i, line: `{"x":"${l}"}` })),
};

/** A client whose answers refuse the records for which `refuse(line, call)` is true. */
function stub(refuse: (line: string, call: number) => boolean) {
  const sent: string[][] = [];
  const client = {
    async send(command: PutRecordBatchCommand) {
      const lines = command.input.Records!.map((r) => Buffer.from(r.Data as Uint8Array).toString());
      sent.push(lines);
      const responses = lines.map((l) => (refuse(l, sent.length) ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'slow down' } : { RecordId: 'id' }));
      return { FailedPutCount: responses.filter((r) => 'ErrorCode' in r).length, RequestResponses: responses };
    },
  };
  return { client: client as unknown as FirehoseClient, sent };
}

const call = { timeoutMs: 1000, partialRetryMs: 1 };

test('refused records are re-sent alone, and the batch succeeds once all are in', async () => {
  const { client, sent } = stub((l, n) => n === 1 && (l.includes('"b"') || l.includes('"d"')));
  assert.deepEqual(await deliverToFirehose(client, batch, call), { kind: 'ok' });
  assert.deepEqual(sent, [['{"x":"a"}\n', '{"x":"b"}\n', '{"x":"c"}\n', '{"x":"d"}\n'], ['{"x":"b"}\n', '{"x":"d"}\n']]);
});

test('records still refused after the retries are reported by index', async () => {
  const { client, sent } = stub((l) => l.includes('"c"'));
  assert.deepEqual(await deliverToFirehose(client, batch, call), { kind: 'partial', failed: [2], error: 'slow down' });
  assert.equal(sent.length, 3);
});

test('all refused is a failure', async () => {
  const { client } = stub(() => true);
  assert.equal((await deliverToFirehose(client, batch, call)).kind, 'failed');
});
