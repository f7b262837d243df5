/** TagResource, UntagResource, ListTagsForResource, for rooms and logging configurations. */
import { parseArn } from '../domain/arn.js';
import { ValidationException, type FieldProblem } from '../domain/errors.js';
import { parlorTagProblems } from '../domain/parlor-settings.js';
import { MAX_TAGS_PER_RESOURCE } from '../domain/tags.js';
import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  TagResourceRequest,
  TagResourceResponse,
  UntagResourceRequest,
  UntagResourceResponse,
} from '../protocol/generated/model.js';
import type { TagWrite } from '../store/store.js';
import type { ControlPlaneDeps, OperationContext } from './context.js';
import { notFound, ownArn } from './resolve.js';

function tagsOf(write: TagWrite, arn: string): Readonly<Record<string, string>> {
  switch (write.kind) {
    case 'ok':
      return write.tags;
    case 'not-found':
      throw notFound(arn, parseArn(arn)?.kind ?? 'room');
    case 'too-many':
      throw ValidationException.fields([{ name: 'tags', message: `a resource may have at most ${write.limit} tags` }]);
  }
}

/**
 * A room's tags carry its `parlor:` settings, so a tag change on a room goes down the same path
 * as an UpdateRoom: live sessions take the room as now stored from the next connect and message.
 */
async function tagsChanged(deps: ControlPlaneDeps, arn: string): Promise<void> {
  if (parseArn(arn)?.kind !== 'room') return;
  const room = await deps.store.getRoom(arn);
  if (room) deps.changes.roomUpdated(room);
}

export async function tagResource(deps: ControlPlaneDeps, ctx: OperationContext, input: TagResourceRequest): Promise<TagResourceResponse> {
  const arn = ownArn(ctx, input.resourceArn);
  tagsOf(await deps.store.tagResource(arn, input.tags, MAX_TAGS_PER_RESOURCE), arn);
  await tagsChanged(deps, arn);
  return {};
}

export async function untagResource(deps: ControlPlaneDeps, ctx: OperationContext, input: UntagResourceRequest): Promise<UntagResourceResponse> {
  const arn = ownArn(ctx, input.resourceArn);
  tagsOf(await deps.store.untagResource(arn, input.tagKeys), arn);
  await tagsChanged(deps, arn);
  return {};
}

/** TagResource's check beside the model: `parlor:` tags on a room must be known settings with good values. */
export function roomTagProblems(input: Readonly<Record<string, unknown>>): FieldProblem[] {
  const arn = input['resourceArn'];
  return typeof arn === 'string' && parseArn(arn)?.kind === 'room' ? parlorTagProblems(input['tags']) : [];
}

export async function listTagsForResource(
  deps: ControlPlaneDeps,
  ctx: OperationContext,
  input: ListTagsForResourceRequest,
): Promise<ListTagsForResourceResponse> {
  const arn = ownArn(ctx, input.resourceArn);
  const tags = await deps.store.getTags(arn);
  if (!tags) throw notFound(arn, parseArn(arn)?.kind ?? 'room');
  return { tags: { ...tags } };
}
