/**
 * The closed catalogue of control-plane errors. One class per exception name that Parlor ever
 * puts on the wire: the model's exceptions plus the SigV4 answers AWS gives before an
 * operation runs. Each carries its wire name, HTTP status and the members of its shape; the
 * single renderer (protocol/rest-json.ts) turns any of them into an AWS error response.
 */

export type ResourceType = 'ROOM' | 'LOGGING_CONFIGURATION';
export type ValidationReason = 'UNKNOWN_OPERATION' | 'FIELD_VALIDATION_FAILED' | 'OTHER';

export interface FieldProblem {
  /** Member path as the client named it, e.g. `messageReviewHandler.uri`. */
  readonly name: string;
  readonly message: string;
}

export abstract class ParlorError extends Error {
  abstract readonly wireName: string;
  abstract readonly status: number;
  /** Members of the exception shape besides `message`, exactly as they go on the wire. */
  members(): Record<string, unknown> {
    return {};
  }
}

export class ValidationException extends ParlorError {
  readonly wireName = 'ValidationException';
  readonly status = 400;
  constructor(
    message: string,
    readonly reason: ValidationReason = 'OTHER',
    readonly fieldList: readonly FieldProblem[] = [],
  ) {
    super(message);
  }
  static fields(fieldList: readonly FieldProblem[]): ValidationException {
    const summary = fieldList.map((f) => `${f.name}: ${f.message}`).join('; ');
    return new ValidationException(`Invalid request: ${summary}`, 'FIELD_VALIDATION_FAILED', fieldList);
  }
  override members(): Record<string, unknown> {
    return this.fieldList.length > 0 ? { reason: this.reason, fieldList: this.fieldList } : { reason: this.reason };
  }
}

export class AccessDeniedException extends ParlorError {
  readonly wireName = 'AccessDeniedException';
  readonly status = 403;
}

export class PendingVerification extends ParlorError {
  readonly wireName = 'PendingVerification';
  readonly status = 403;
}

abstract class ResourceError extends ParlorError {
  constructor(
    message: string,
    readonly resourceId: string,
    readonly resourceType: ResourceType,
  ) {
    super(message);
  }
  override members(): Record<string, unknown> {
    return { resourceId: this.resourceId, resourceType: this.resourceType };
  }
}

export class ResourceNotFoundException extends ResourceError {
  readonly wireName = 'ResourceNotFoundException';
  readonly status = 404;
}

export class ConflictException extends ResourceError {
  readonly wireName = 'ConflictException';
  readonly status = 409;
}

abstract class LimitError extends ResourceError {
  constructor(message: string, resourceId: string, resourceType: ResourceType, readonly limit: number) {
    super(message, resourceId, resourceType);
  }
  override members(): Record<string, unknown> {
    return { ...super.members(), limit: this.limit };
  }
}

export class ServiceQuotaExceededException extends LimitError {
  readonly wireName = 'ServiceQuotaExceededException';
  readonly status = 402;
}

export class ThrottlingException extends LimitError {
  readonly wireName = 'ThrottlingException';
  readonly status = 429;
}

export class InternalServerException extends ParlorError {
  readonly wireName = 'InternalServerException';
  readonly status = 500;
}

/** SigV4 answers, given before any operation runs (not in the model; AWS sends them). */
export class UnrecognizedClientException extends ParlorError {
  readonly wireName = 'UnrecognizedClientException';
  readonly status = 403;
}

export class InvalidSignatureException extends ParlorError {
  readonly wireName = 'InvalidSignatureException';
  readonly status = 403;
}

export class MissingAuthenticationTokenException extends ParlorError {
  readonly wireName = 'MissingAuthenticationTokenException';
  readonly status = 403;
}

export class IncompleteSignatureException extends ParlorError {
  readonly wireName = 'IncompleteSignatureException';
  readonly status = 400;
}
