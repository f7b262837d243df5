/**
 * Assertions on AWS errors as the JS SDK surfaces them: the exception name, the HTTP status in
 * `$metadata.httpStatusCode` and the members of the exception shape read from the body.
 */
import assert from 'node:assert/strict';

export interface ServiceErrorLike {
  readonly name: string;
  readonly message: string;
  readonly $metadata: { readonly httpStatusCode?: number; readonly requestId?: string };
  readonly [member: string]: unknown;
}

function isServiceError(e: unknown): e is ServiceErrorLike {
  return e instanceof Error && typeof (e as { $metadata?: unknown }).$metadata === 'object';
}

/** Awaits `promise`, expects it to reject with `name`/`status`, checks `members`, returns the error. */
export async function expectError(
  promise: Promise<unknown>,
  name: string,
  status: number,
  members: Readonly<Record<string, unknown>> = {},
): Promise<ServiceErrorLike> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, `expected ${name} but the call succeeded`);
  assert.ok(isServiceError(caught), `expected a service error, got ${String(caught)}`);
  assert.equal(caught.name, name, `error name (message: ${caught.message})`);
  assert.equal(caught.$metadata.httpStatusCode, status, 'HTTP status');
  assert.match(caught.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/, 'x-amzn-RequestId');
  for (const [k, v] of Object.entries(members)) assert.deepEqual(caught[k], v, `member ${k}`);
  return caught;
}

/**
 * Expects one 400 ValidationException with reason FIELD_VALIDATION_FAILED whose fieldList names
 * exactly `fields` (in any order).
 */
export async function expectFieldErrors(promise: Promise<unknown>, fields: readonly string[]): Promise<ServiceErrorLike> {
  const err = await expectError(promise, 'ValidationException', 400, { reason: 'FIELD_VALIDATION_FAILED' });
  const list = err.fieldList as { name: string; message: string }[] | undefined;
  assert.ok(Array.isArray(list), 'fieldList present');
  for (const f of list) assert.ok(typeof f.message === 'string' && f.message.length > 0, `message for ${f.name}`);
  assert.deepEqual(
    list.map((f) => f.name).sort(),
    [...fields].sort(),
    `fieldList names (got ${JSON.stringify(list)})`,
  );
  return err;
}
