/**
 * What the test page runs in Chromium, bundled by esbuild: the AWS SDK creates a room and
 * mints a token on Parlor (another origin), the official chat client connects and sends, and
 * a missing room comes back as the SDK's ResourceNotFoundException class.
 */
import { CreateChatTokenCommand, CreateRoomCommand, GetRoomCommand, IvschatClient, ResourceNotFoundException } from '@aws-sdk/client-ivschat';
import { ChatRoom, SendMessageRequest } from 'amazon-ivs-chat-messaging';

export interface ScenarioResult {
  readonly roomArn?: string;
  readonly echoed?: string;
  readonly errorName?: string;
  readonly errorIsClass?: boolean;
  readonly failure?: string;
}

async function scenario(endpoint: string): Promise<ScenarioResult> {
  const sdk = new IvschatClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'AKIDBROWSER', secretAccessKey: 'secret' }, maxAttempts: 1 });
  try {
    const room = await sdk.send(new CreateRoomCommand({ name: 'from-a-browser' }));
    const chat = new ChatRoom({
      regionOrUrl: endpoint.replace(/^http/, 'ws'),
      tokenProvider: async () => {
        const t = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: room.arn!, userId: 'browser-user', capabilities: ['SEND_MESSAGE'] }));
        return { token: t.token!, sessionExpirationTime: t.sessionExpirationTime, tokenExpirationTime: t.tokenExpirationTime };
      },
    });
    const echoed = new Promise<string>((resolve) => chat.addListener('message', (m) => resolve(m.content)));
    await new Promise<void>((resolve) => {
      chat.addListener('connect', () => resolve());
      chat.connect();
    });
    await chat.sendMessage(new SendMessageRequest('hello from chromium'));
    const content = await echoed;
    chat.disconnect();
    try {
      await sdk.send(new GetRoomCommand({ identifier: room.arn!.replace(/room\/.*/, 'room/nothere12345') }));
      return { roomArn: room.arn, echoed: content, failure: 'GetRoom of a missing room succeeded' };
    } catch (err) {
      return { roomArn: room.arn, echoed: content, errorName: (err as Error).name, errorIsClass: err instanceof ResourceNotFoundException };
    }
  } catch (err) {
    return { failure: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

Object.assign(globalThis, { scenario });
