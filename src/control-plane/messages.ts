/** ListMessages (extension): a room's kept messages, newest first. */
import type { ListMessagesRequest, ListMessagesResponse, KeptMessage as KeptMessageOutput } from '../protocol/generated/model.js';
import type { KeptEntry } from '../history/message-history.js';
import type { ControlPlaneDeps, OperationContext } from './context.js';
import { iso } from './format.js';
import { decodeSeqToken, encodeSeqToken } from './pagination.js';
import { getOwnRoom } from './rooms.js';

const DEFAULT_MESSAGE_PAGE = 50;

/** The fields of a kept MESSAGE frame that ListMessages returns. */
interface DeliveredMessage {
  Content: string;
  Attributes?: Record<string, string>;
  Sender: { UserId: string; Attributes?: Record<string, string> };
}

function messageOutput(entry: KeptEntry): KeptMessageOutput {
  const frame = JSON.parse(entry.frame) as DeliveredMessage;
  return {
    id: entry.id,
    content: frame.Content,
    attributes: frame.Attributes ?? {},
    sendTime: iso(entry.sendTime),
    sender: { userId: frame.Sender.UserId, attributes: frame.Sender.Attributes ?? {} },
  };
}

export async function listMessages(deps: ControlPlaneDeps, ctx: OperationContext, input: ListMessagesRequest): Promise<ListMessagesResponse> {
  const room = await getOwnRoom(deps, ctx, input.roomIdentifier);
  const limit = input.maxResults ?? DEFAULT_MESSAGE_PAGE;
  const rows = await deps.history.newest(room.arn, limit + 1, decodeSeqToken(input.nextToken));
  const page = rows.slice(0, limit);
  return {
    messages: page.map(messageOutput),
    ...(rows.length > limit ? { nextToken: encodeSeqToken(page[page.length - 1]!.seq) } : {}),
  };
}
