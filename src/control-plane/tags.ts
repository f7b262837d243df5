/** TagResource, UntagResource, ListTagsForResource, for rooms and logging configurations. */
import { parseArn } from '../domain/arn.js';
import { ValidationException } from '../domain/errors.js';
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

export async function tagResource(deps: ControlPlaneDeps, ctx: OperationContext, input: TagResourceRequest): Promise<TagResourceResponse> {
  const arn = ownArn(ctx, input.resourceArn);
  tagsOf(await deps.store.tagResource(arn, input.tags, MAX_TAGS_PER_RESOURCE), arn);
  return {};
}

export async function untagResource(deps: ControlPlaneDeps, ctx: OperationContext, input: UntagResourceRequest): Promise<UntagResourceResponse> {
  const arn = ownArn(ctx, input.resourceArn);
  tagsOf(await deps.store.untagResource(arn, input.tagKeys), arn);
  return {};
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
