/**
 * The wire form of an envelope between nodes: one JSON text `{"from":<origin>,"envelope":{…}}`,
 * built once per publish and sent as is to every node. `from` is the publishing fan-out's
 * origin id, so a node can ignore its own envelopes (it applied them locally already).
 * Decoding checks the shape of every field a receiver reads; anything else is refused with a
 * reason (the receiver logs and drops it), never thrown.
 */
import type { Envelope, EnvelopeKind } from '../domain/envelope.js';

export interface WireEnvelope {
  readonly from: string;
  readonly envelope: Envelope;
}

export type DecodedEnvelope = { readonly ok: true; readonly value: WireEnvelope } | { readonly ok: false; readonly reason: string };

export function encodeEnvelope(from: string, envelope: Envelope): string {
  return JSON.stringify({ from, envelope });
}

export function decodeEnvelope(text: string): DecodedEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isRecord(parsed) || typeof parsed['from'] !== 'string') return { ok: false, reason: 'no origin' };
  const envelope = parsed['envelope'];
  if (!isRecord(envelope) || typeof envelope['kind'] !== 'string' || !Object.hasOwn(CHECKS, envelope['kind'])) {
    return { ok: false, reason: 'unknown kind' };
  }
  const problem = CHECKS[envelope['kind'] as EnvelopeKind](envelope);
  if (problem) return { ok: false, reason: `${envelope['kind']}: ${problem}` };
  return { ok: true, value: { from: parsed['from'], envelope: envelope as unknown as Envelope } };
}

type Fields = Record<string, unknown>;
/** Returns what is wrong with a decoded envelope of its kind, or undefined when it is whole. */
type Check = (e: Fields) => string | undefined;

const CHECKS: Record<EnvelopeKind, Check> = {
  deliver: (e) => strings(e, 'roomArn', 'frame'),
  'disconnect-user': (e) => strings(e, 'roomArn', 'userId', 'frame'),
  'room-updated': (e) => strings(e, 'roomArn') ?? roomProblem(e['room']),
  'room-deleted': (e) => strings(e, 'roomArn', 'frame') ?? roomProblem(e['room']),
  'logging-configuration-updated': (e) => configurationProblem(e['configuration']),
  'logging-configuration-deleted': (e) => configurationProblem(e['configuration']),
  'bans-changed': (e) => strings(e, 'roomArn', 'userId'),
};

function roomProblem(room: unknown): string | undefined {
  if (!isRecord(room)) return 'room is not an object';
  const wrong =
    strings(room, 'arn', 'id', 'accountId', 'region', 'name') ??
    numbers(room, 'createTime', 'updateTime', 'maximumMessageRatePerSecond', 'maximumMessageLength');
  if (wrong) return `room.${wrong}`;
  const handler = room['messageReviewHandler'];
  if (handler !== undefined && !(isRecord(handler) && typeof handler['uri'] === 'string' && (handler['fallbackResult'] === 'ALLOW' || handler['fallbackResult'] === 'DENY'))) {
    return 'room.messageReviewHandler';
  }
  if (!isStringMap(room['tags'])) return 'room.tags';
  const ids = room['loggingConfigurationIdentifiers'];
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return 'room.loggingConfigurationIdentifiers';
  return undefined;
}

function configurationProblem(configuration: unknown): string | undefined {
  if (!isRecord(configuration)) return 'configuration is not an object';
  const wrong = strings(configuration, 'arn', 'id', 'accountId', 'region', 'name', 'state') ?? numbers(configuration, 'createTime', 'updateTime');
  if (wrong) return `configuration.${wrong}`;
  const destination = configuration['destinationConfiguration'];
  if (!isRecord(destination) || Object.keys(destination).length !== 1) return 'configuration.destinationConfiguration';
  if (!isStringMap(configuration['tags'])) return 'configuration.tags';
  return undefined;
}

function strings(fields: Fields, ...names: string[]): string | undefined {
  return names.find((name) => typeof fields[name] !== 'string');
}

function numbers(fields: Fields, ...names: string[]): string | undefined {
  return names.find((name) => typeof fields[name] !== 'number' || !Number.isFinite(fields[name]));
}

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringMap(value: unknown): boolean {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}
