/**
 * The errors ParlorClient throws: one class per exception name the service puts on the wire,
 * named like the AWS SDK's (`err.name === 'ValidationException'`), with the exception's members
 * (`fieldList`, `resourceId`, …) and `$metadata.httpStatusCode`, as AWS SDK v3 errors have.
 */

export interface ResponseMetadata {
  readonly httpStatusCode: number;
  /** The response's `x-amzn-RequestId`. */
  readonly requestId?: string;
}

export interface FieldProblem {
  readonly name: string;
  readonly message: string;
}

/** Every error of the service; the subclasses below are the known exception names. */
export class ParlorServiceException extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: ResponseMetadata;
  /** The exception's members other than `message`, as sent. */
  readonly $response: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  readonly fieldList?: readonly FieldProblem[];
  readonly resourceId?: string;
  readonly resourceType?: string;
  readonly limit?: number;

  constructor(name: string, message: string, metadata: ResponseMetadata, members: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = name;
    this.$fault = metadata.httpStatusCode >= 500 ? 'server' : 'client';
    this.$metadata = metadata;
    this.$response = members;
    if (typeof members['reason'] === 'string') this.reason = members['reason'];
    if (Array.isArray(members['fieldList'])) this.fieldList = members['fieldList'] as FieldProblem[];
    if (typeof members['resourceId'] === 'string') this.resourceId = members['resourceId'];
    if (typeof members['resourceType'] === 'string') this.resourceType = members['resourceType'];
    if (typeof members['limit'] === 'number') this.limit = members['limit'];
  }
}

type Members = Readonly<Record<string, unknown>>;
type ExceptionClass = new (message: string, metadata: ResponseMetadata, members: Members) => ParlorServiceException;

/** A subclass for one exception name (its class name is that name too, as in the AWS SDK). */
function exceptionClass(name: string): ExceptionClass {
  const named = class extends ParlorServiceException {
    constructor(message: string, metadata: ResponseMetadata, members: Members) {
      super(name, message, metadata, members);
    }
  };
  Object.defineProperty(named, 'name', { value: name });
  return named;
}

export const ValidationException = exceptionClass('ValidationException');
export type ValidationException = ParlorServiceException;
export const AccessDeniedException = exceptionClass('AccessDeniedException');
export type AccessDeniedException = ParlorServiceException;
export const ResourceNotFoundException = exceptionClass('ResourceNotFoundException');
export type ResourceNotFoundException = ParlorServiceException;
export const ConflictException = exceptionClass('ConflictException');
export type ConflictException = ParlorServiceException;
export const ServiceQuotaExceededException = exceptionClass('ServiceQuotaExceededException');
export type ServiceQuotaExceededException = ParlorServiceException;
export const ThrottlingException = exceptionClass('ThrottlingException');
export type ThrottlingException = ParlorServiceException;
export const PendingVerification = exceptionClass('PendingVerification');
export type PendingVerification = ParlorServiceException;
export const InternalServerException = exceptionClass('InternalServerException');
export type InternalServerException = ParlorServiceException;

const KNOWN: Readonly<Record<string, ExceptionClass>> = {
  ValidationException,
  AccessDeniedException,
  ResourceNotFoundException,
  ConflictException,
  ServiceQuotaExceededException,
  ThrottlingException,
  PendingVerification,
  InternalServerException,
};

/**
 * The error of a failed response: its name from `x-amzn-ErrorType` (or the body's `__type`),
 * with any `:<details>` or namespace cut off as the AWS SDKs do. Names outside the known ones
 * (e.g. the SigV4 answers) are ParlorServiceException with that name.
 */
export function errorOf(status: number, errorType: string | null, body: unknown, requestId: string | undefined): ParlorServiceException {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const raw = errorType ?? (typeof fields['__type'] === 'string' ? fields['__type'] : '') ?? '';
  const name = raw.split(':')[0]!.split('#').pop()! || (status >= 500 ? 'InternalServerException' : 'UnknownError');
  const { __type: _type, message: rawMessage, Message: upperMessage, ...members } = fields;
  const message = typeof rawMessage === 'string' ? rawMessage : typeof upperMessage === 'string' ? upperMessage : name;
  const metadata: ResponseMetadata = requestId === undefined ? { httpStatusCode: status } : { httpStatusCode: status, requestId };
  const Known = KNOWN[name];
  return Known ? new Known(message, metadata, members) : new ParlorServiceException(name, message, metadata, members);
}
