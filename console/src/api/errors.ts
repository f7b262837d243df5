/**
 * Errors as the console shows them: the AWS exception name and message as the server sent
 * them, the HTTP status and request id, and a ValidationException's fieldList keyed by the
 * form field each problem belongs to. Nothing is swallowed: every failed call ends up in one
 * of these, on screen.
 */
export interface ShownError {
  readonly name: string;
  readonly message: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  /** Field problems by the name the server gave (`maximumMessageLength`, `tags.parlor:history`, …). */
  readonly fields: ReadonlyMap<string, string>;
}

interface AwsLikeError {
  errorCode?: unknown;
  errorMessage?: unknown;
  name?: unknown;
  message?: unknown;
  fieldList?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

export function describeError(err: unknown): ShownError {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as AwsLikeError;
  // The chat client rejects with the server's ERROR frame: { errorCode, errorMessage }.
  if (typeof e.errorCode === 'number' && typeof e.errorMessage === 'string') {
    return { name: `Chat error ${e.errorCode}`, message: e.errorMessage, status: e.errorCode, requestId: undefined, fields: new Map() };
  }
  const fields = new Map<string, string>();
  if (Array.isArray(e.fieldList)) {
    for (const f of e.fieldList as { name?: unknown; message?: unknown }[]) {
      if (typeof f.name === 'string' && typeof f.message === 'string') fields.set(f.name, f.message);
    }
  }
  let message = typeof e.message === 'string' && e.message !== '' ? e.message : 'The request failed without a message';
  // A browser's own network failure says little; say what it means here.
  if (err instanceof TypeError && /fetch|network/i.test(message)) message = `Parlor could not be reached (${message})`;
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message,
    status: e.$metadata?.httpStatusCode,
    requestId: e.$metadata?.requestId,
    fields,
  };
}

/**
 * The problem the server reported for form field `field`: an exact name, an indexed one
 * (`loggingConfigurationIdentifiers[0]` → `loggingConfigurationIdentifiers`) or a nested one
 * (`messageReviewHandler.uri`).
 */
export function fieldProblem(error: ShownError | undefined, field: string): string | undefined {
  if (!error) return undefined;
  for (const [name, message] of error.fields) {
    if (name === field || name.replace(/\[\d+\]/g, '') === field) return message;
  }
  return undefined;
}

/** Whether `err` says the server has no such operation (an extension this build does not offer). */
export function isUnknownOperation(err: unknown): boolean {
  const reason = (err as { reason?: unknown } | null)?.reason;
  return reason === 'UNKNOWN_OPERATION' || /^Unknown operation/.test(describeError(err).message);
}
