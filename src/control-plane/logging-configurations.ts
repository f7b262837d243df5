/** Create/Get/Update/Delete/ListLoggingConfigurations. Delivery of chat logs lives in chat-log/. */
import { formatArn } from '../domain/arn.js';
import { ConflictException, ServiceQuotaExceededException } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { LOGGING_CONFIGURATION_QUOTA, type Destination, type LoggingConfiguration } from '../domain/logging-configuration.js';
import type {
  CreateLoggingConfigurationRequest,
  CreateLoggingConfigurationResponse,
  DeleteLoggingConfigurationRequest,
  DestinationConfiguration,
  GetLoggingConfigurationRequest,
  GetLoggingConfigurationResponse,
  ListLoggingConfigurationsRequest,
  ListLoggingConfigurationsResponse,
  UpdateLoggingConfigurationRequest,
  UpdateLoggingConfigurationResponse,
} from '../protocol/generated/model.js';
import type { ControlPlaneDeps, OperationContext } from './context.js';
import { loggingConfigurationOutput } from './format.js';
import { DEFAULT_PAGE_SIZE, decodePageToken, pageOf } from './pagination.js';
import { notFound, ownArn } from './resolve.js';

/** The validated union (exactly one member set) as the domain's tagged destination. */
function destinationOf(d: DestinationConfiguration): Destination {
  if (d.s3) return { s3: { bucketName: d.s3.bucketName } };
  if (d.cloudWatchLogs) return { cloudWatchLogs: { logGroupName: d.cloudWatchLogs.logGroupName } };
  return { firehose: { deliveryStreamName: d.firehose!.deliveryStreamName } };
}

/** Create and Update answers say ACTIVE: Parlor applies configurations synchronously. */
function activeOutput(c: LoggingConfiguration): CreateLoggingConfigurationResponse {
  return { ...loggingConfigurationOutput(c), state: 'ACTIVE' };
}

export async function createLoggingConfiguration(
  deps: ControlPlaneDeps,
  ctx: OperationContext,
  input: CreateLoggingConfigurationRequest,
): Promise<CreateLoggingConfigurationResponse> {
  const id = newId();
  const now = deps.now();
  const config: LoggingConfiguration = {
    ...ctx.scope,
    arn: formatArn(ctx.scope, 'logging-configuration', id),
    id,
    name: input.name ?? '',
    createTime: now,
    updateTime: now,
    destinationConfiguration: destinationOf(input.destinationConfiguration),
    state: 'ACTIVE',
    tags: { ...input.tags },
  };
  const result = await deps.store.createLoggingConfiguration(config, LOGGING_CONFIGURATION_QUOTA);
  if (result.kind === 'quota-exceeded') {
    throw new ServiceQuotaExceededException(
      `At most ${result.limit} logging configurations may exist per account and region`,
      id,
      'LOGGING_CONFIGURATION',
      result.limit,
    );
  }
  return activeOutput(config);
}

export async function getLoggingConfiguration(
  deps: ControlPlaneDeps,
  ctx: OperationContext,
  input: GetLoggingConfigurationRequest,
): Promise<GetLoggingConfigurationResponse> {
  const config = await deps.store.getLoggingConfiguration(ownArn(ctx, input.identifier, 'logging-configuration'));
  if (!config) throw notFound(input.identifier, 'logging-configuration');
  return loggingConfigurationOutput(config);
}

export async function updateLoggingConfiguration(
  deps: ControlPlaneDeps,
  ctx: OperationContext,
  input: UpdateLoggingConfigurationRequest,
): Promise<UpdateLoggingConfigurationResponse> {
  const arn = ownArn(ctx, input.identifier, 'logging-configuration');
  const updated = await deps.store.updateLoggingConfiguration(
    arn,
    {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.destinationConfiguration ? { destinationConfiguration: destinationOf(input.destinationConfiguration) } : {}),
    },
    deps.now(),
  );
  if (!updated) throw notFound(arn, 'logging-configuration');
  deps.changes.loggingConfigurationUpdated(updated);
  return activeOutput(updated);
}

/**
 * Refuses with ConflictException while rooms still list the configuration: deleting it would
 * silently stop their chat logs. Detach it with UpdateRoom first (docs/aws-differences.md).
 */
export async function deleteLoggingConfiguration(
  deps: ControlPlaneDeps,
  ctx: OperationContext,
  input: DeleteLoggingConfigurationRequest,
): Promise<void> {
  const arn = ownArn(ctx, input.identifier, 'logging-configuration');
  const config = await deps.store.getLoggingConfiguration(arn);
  const result = await deps.store.deleteLoggingConfiguration(arn);
  switch (result.kind) {
    case 'ok':
      if (config) deps.changes.loggingConfigurationDeleted(config);
      return;
    case 'not-found':
      throw notFound(arn, 'logging-configuration');
    case 'in-use':
      throw new ConflictException(
        `Logging configuration ${arn} is still used by ${result.roomArns.length} room(s), e.g. ${result.roomArns[0]}; remove it from them first`,
        arn.slice(arn.lastIndexOf('/') + 1),
        'LOGGING_CONFIGURATION',
      );
  }
}

export async function listLoggingConfigurations(
  deps: ControlPlaneDeps,
  ctx: OperationContext,
  input: ListLoggingConfigurationsRequest,
): Promise<ListLoggingConfigurationsResponse> {
  const limit = input.maxResults ?? DEFAULT_PAGE_SIZE;
  const rows = await deps.store.listLoggingConfigurations(ctx.scope, decodePageToken(input.nextToken), limit + 1);
  const page = pageOf(rows, limit);
  return {
    loggingConfigurations: page.items.map(loggingConfigurationOutput),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}
