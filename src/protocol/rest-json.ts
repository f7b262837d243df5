/**
 * The AWS restJson1 codec for IVS Chat: routes a request to an operation of the model,
 * decodes path labels, query parameters and the JSON body into the operation's input, and
 * renders outputs and catalogue errors as AWS responses. Transport-free: it sees strings and
 * returns strings; server/http-server.ts moves the bytes.
 */
import { InternalServerException, ParlorError, ValidationException } from '../domain/errors.js';
import { OPERATIONS, SHAPES, type OperationName } from './generated/model.js';
import type { OperationDef, ShapeDef } from './model-types.js';
import { isPlainObject } from './validate.js';

interface Route {
  readonly operation: OperationName;
  readonly method: string;
  readonly regex: RegExp;
  readonly labels: readonly string[];
}

/** One route per operation, compiled from the model's request URIs. Labels match one raw segment. */
const ROUTES: readonly Route[] = (Object.keys(OPERATIONS) as OperationName[]).map((operation) => {
  const def: OperationDef = OPERATIONS[operation];
  const labels: string[] = [];
  const source = def.uri.replace(/\{([^}]+)\}/g, (_m, label: string) => {
    labels.push(label);
    return '([^/]+)';
  });
  return { operation, method: def.method, regex: new RegExp(`^${source}$`), labels };
});

export interface RoutedRequest {
  readonly operation: OperationName;
  /** Path labels, percent-decoded. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Finds the operation for a method and raw (still percent-encoded) path. Splitting happens
 * before decoding, so an ARN label with `%2F` stays one label.
 */
export function route(method: string, rawPath: string): RoutedRequest {
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.regex.exec(rawPath);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const labels: Record<string, string> = {};
    for (let i = 0; i < r.labels.length; i++) {
      try {
        labels[r.labels[i]!] = decodeURIComponent(m[i + 1]!);
      } catch {
        throw new ValidationException(`Path label ${r.labels[i]} is not valid percent-encoding`, 'OTHER');
      }
    }
    return { operation: r.operation, labels };
  }
  throw new ValidationException(
    pathMatched ? `Method ${method} is not supported on ${rawPath}` : `Unknown operation: ${method} ${rawPath}`,
    'UNKNOWN_OPERATION',
  );
}

/** The operation `method rawPath` would route to, without decoding anything (for metrics); never throws. */
export function operationOf(method: string, rawPath: string): OperationName | undefined {
  for (const r of ROUTES) if (r.method === method && r.regex.test(rawPath)) return r.operation;
  return undefined;
}

/**
 * Builds the operation input from path labels, query and body. Only members the model knows
 * are taken: unknown JSON members are ignored, as forward-compatible SDKs expect.
 */
export function decodeInput(
  operation: OperationName,
  labels: Readonly<Record<string, string>>,
  query: URLSearchParams,
  body: string,
): Record<string, unknown> {
  const def: OperationDef = OPERATIONS[operation];
  if (!def.input) return {};
  const inputShape = (SHAPES as Readonly<Record<string, ShapeDef>>)[def.input]!;
  let json: unknown = {};
  if (body.trim() !== '') {
    try {
      json = JSON.parse(body);
    } catch {
      throw new ValidationException('The request body is not valid JSON', 'OTHER');
    }
    if (!isPlainObject(json)) throw new ValidationException('The request body must be a JSON object', 'OTHER');
  }
  const input: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(inputShape.members ?? {})) {
    const wireName = ref.locationName ?? name;
    switch (ref.location) {
      case 'uri':
        if (labels[wireName] !== undefined) input[name] = labels[wireName];
        break;
      case 'querystring': {
        const member = (SHAPES as Readonly<Record<string, ShapeDef>>)[ref.shape]!;
        if (member.type === 'list') {
          // A query string cannot carry an empty list: SDKs send `tagKeys: []` as no parameter
          // at all, so absence decodes to [] (UntagResource allows 0 keys).
          input[name] = query.getAll(wireName);
        } else if (query.has(wireName)) {
          input[name] = query.get(wireName);
        }
        break;
      }
      case 'header':
        break; // IVS Chat has no header-bound members
      default:
        if ((json as Record<string, unknown>)[name] !== undefined) input[name] = (json as Record<string, unknown>)[name];
    }
  }
  return input;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Empty for 204. */
  readonly body: string;
}

/** The success response of an operation: the model's status, JSON output or no body. */
export function encodeOutput(operation: OperationName, output: unknown): WireResponse {
  const def: OperationDef = OPERATIONS[operation];
  if (def.status === 204 || !def.output) return { status: def.status, headers: {}, body: '' };
  return {
    status: def.status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(output ?? {}),
  };
}

/**
 * The one renderer of errors: name in `x-amzn-ErrorType` and in body `__type` (read by every
 * SDK), members of the exception shape in the body. Anything outside the catalogue becomes a
 * 500 InternalServerException whose text reveals nothing.
 */
export function encodeError(err: unknown): WireResponse {
  const e = err instanceof ParlorError ? err : new InternalServerException('An internal error occurred');
  return {
    status: e.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': e.wireName },
    body: JSON.stringify({ __type: e.wireName, message: e.message, ...e.members() }),
  };
}
