/**
 * TLS on the one port: https for the control plane and wss for chat, trusted through a CA made
 * by the test — by the JS SDK (an https agent), the official chat client (ws with `ca`), boto3
 * and the AWS CLI (AWS_CA_BUNDLE). The certificate files are re-read on SIGHUP.
 */
import { CreateChatTokenCommand, CreateRoomCommand, GetRoomCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { ChatRoom, SendMessageRequest, waitFor } from '../helpers/chat.js';
import { startCli, type CliProcess } from '../helpers/cli.js';
import { tempDataDir } from '../helpers/server.js';
import { makeTestCa, opensslAvailable, type TestCa } from '../helpers/test-ca.js';

const skip = opensslAvailable() ? false : 'openssl is not installed: cannot make a test CA';
let ca: TestCa;
let proc: CliProcess;
let certFile: string;
let keyFile: string;
let caPem: Buffer;

before(async () => {
  if (skip) return;
  ca = makeTestCa();
  certFile = join(ca.dir, 'server.pem');
  keyFile = join(ca.dir, 'server.key');
  ca.issue(certFile, keyFile);
  caPem = readFileSync(ca.caFile);
  proc = await startCli(['--port', '0', '--data-dir', tempDataDir(), '--tls-cert', certFile, '--tls-key', keyFile]);
});
after(async () => {
  if (skip) return;
  proc?.child.kill('SIGTERM');
  await proc?.exited;
  ca.remove();
});

function sdk(trust = true): IvschatClient {
  return new IvschatClient({
    region: 'us-east-1',
    endpoint: proc.endpoint,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
    ...(trust ? { requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: caPem }) }) } : {}),
  });
}

/** The certificate the server presents to a new TLS connection now. */
function presentedSerial(): Promise<string> {
  const url = new URL(proc.endpoint);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ca: caPem }, () => {
      resolve(socket.getPeerX509Certificate()!.serialNumber);
      socket.end();
    });
    socket.once('error', reject);
  });
}

test('the banner names https and wss; the JS SDK and the official client work through the test CA', { skip }, async () => {
  assert.match(proc.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.match(proc.stdout(), /chat WebSocket: wss:\/\/127\.0\.0\.1:\d+/);
  const client = sdk();
  const room = await client.send(new CreateRoomCommand({ name: 'tls' }));
  await assert.rejects(client.send(new GetRoomCommand({ identifier: room.arn!.replace(/room\/.*/, 'room/nothere12345') })), { name: 'ResourceNotFoundException' });
  // Without trusting the CA the SDK refuses the server: the trust above is real.
  await assert.rejects(sdk(false).send(new CreateRoomCommand({ name: 'untrusted' })), /self[- ]signed|unable to (get|verify)|certificate/i);

  // The official client uses the global WebSocket: here one that trusts the test CA.
  const previous = globalThis.WebSocket;
  class TrustingWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { ca: caPem });
    }
  }
  Object.assign(globalThis, { WebSocket: TrustingWebSocket });
  try {
    const chat = new ChatRoom({
      regionOrUrl: proc.endpoint.replace(/^https/, 'wss'),
      tokenProvider: async () => {
        const t = await client.send(new CreateChatTokenCommand({ roomIdentifier: room.arn!, userId: 'tls-user', capabilities: ['SEND_MESSAGE'] }));
        return { token: t.token!, sessionExpirationTime: t.sessionExpirationTime, tokenExpirationTime: t.tokenExpirationTime };
      },
    });
    chat.logger = { debug() {}, info() {}, warn() {}, error() {} } as unknown as typeof chat.logger;
    const received: string[] = [];
    chat.addListener('message', (m) => received.push(m.content));
    const connected = new Promise<void>((resolve) => chat.addListener('connect', () => resolve()));
    chat.connect();
    await connected;
    const sent = await chat.sendMessage(new SendMessageRequest('over wss'));
    assert.equal(sent.content, 'over wss');
    await waitFor('the echo', () => (received.includes('over wss') ? true : undefined));
    chat.disconnect();
  } finally {
    Object.assign(globalThis, { WebSocket: previous });
  }
  client.destroy();
});

function runClient(command: string, args: string[], extraEnv: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/parlor-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/parlor-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extraEnv,
  };
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const boto3 = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' }).status === 0;
const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;

const BOTO3_SCRIPT = `
import json, sys, boto3
c = boto3.client('ivschat', endpoint_url=sys.argv[1], region_name='us-east-1')
arn = c.create_room(name='boto-tls')['arn']
token = c.create_chat_token(roomIdentifier=arn, userId='u')['token']
try:
    c.get_room(identifier=arn.rsplit('/', 1)[0] + '/nothere12345')
    missing = 'none'
except c.exceptions.ResourceNotFoundException:
    missing = 'ResourceNotFoundException'
print(json.dumps({'arn': arn, 'token': len(token) > 0, 'missing': missing}))
`;

test('boto3 trusts the test CA through AWS_CA_BUNDLE', { skip: skip || (boto3 ? false : 'boto3 is not installed') }, async () => {
  const out = await runClient('python3', ['-c', BOTO3_SCRIPT, proc.endpoint], { AWS_CA_BUNDLE: ca.caFile });
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual({ ...JSON.parse(out.stdout), arn: undefined }, { arn: undefined, token: true, missing: 'ResourceNotFoundException' });
  const untrusted = await runClient('python3', ['-c', BOTO3_SCRIPT, proc.endpoint], {});
  assert.notEqual(untrusted.status, 0);
  assert.match(untrusted.stderr, /SSL|certificate/i);
});

test('the AWS CLI trusts the test CA through AWS_CA_BUNDLE', { skip: skip || (awsCli ? false : 'the AWS CLI is not installed') }, async () => {
  const out = await runClient('aws', ['ivschat', 'create-room', '--name', 'cli-tls', '--endpoint-url', proc.endpoint, '--output', 'json'], { AWS_CA_BUNDLE: ca.caFile });
  assert.equal(out.status, 0, out.stderr);
  assert.match((JSON.parse(out.stdout) as { arn: string }).arn, /:room\//);
});

test('SIGHUP re-reads the certificate files: new connections get the new certificate, without a restart', { skip }, async () => {
  const first = await presentedSerial();
  assert.equal(first, new X509Certificate(readFileSync(certFile)).serialNumber);
  ca.issue(certFile, keyFile);
  const renewed = new X509Certificate(readFileSync(certFile)).serialNumber;
  assert.notEqual(renewed, first);
  proc.child.kill('SIGHUP');
  await waitFor('the reload', () => (/TLS certificate re-read/.test(proc.stdout()) ? true : undefined));
  assert.equal(await presentedSerial(), renewed);
  // Still the same process, still serving.
  assert.equal((await sdk().send(new CreateRoomCommand({ name: 'after-reload' }))).name, 'after-reload');
});

test('one TLS file without the other, an unreadable file or a mismatched pair: the start is refused, naming the setting', { skip }, async () => {
  await assert.rejects(startCli(['--port', '0', '--data-dir', tempDataDir(), '--tls-cert', certFile]), /exited \(code 2.*PARLOR_TLS_KEY/s);
  await assert.rejects(startCli(['--port', '0', '--data-dir', tempDataDir(), '--tls-cert', join(ca.dir, 'missing.pem'), '--tls-key', keyFile]), /exited \(code 1.*PARLOR_TLS_CERT.*missing\.pem.*ENOENT/s);
  const otherKey = join(ca.dir, 'other.key');
  ca.issue(join(ca.dir, 'other.pem'), otherKey);
  await assert.rejects(startCli(['--port', '0', '--data-dir', tempDataDir(), '--tls-cert', certFile, '--tls-key', otherKey]), /exited \(code 1.*not a usable pair/s);
});
