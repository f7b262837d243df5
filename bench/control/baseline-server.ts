/**
 * The benchmark's baseline: a plain node:http server that reads the request body and answers
 * every request with the same small JSON body (about the size of a GetRoom answer) and a
 * request id. What Parlor adds on top of Node's HTTP stack is the difference to this.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const BODY = JSON.stringify({
  arn: 'arn:aws:ivschat:us-east-1:123456789012:room/g1H2I3j4k5L6',
  id: 'g1H2I3j4k5L6',
  name: 'bench',
  createTime: '2026-01-01T00:00:00.000Z',
  updateTime: '2026-01-01T00:00:00.000Z',
  maximumMessageRatePerSecond: 10,
  maximumMessageLength: 500,
  tags: {},
  loggingConfigurationIdentifiers: [],
});

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), 'x-amzn-requestid': randomUUID() });
    res.end(BODY);
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`baseline listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
