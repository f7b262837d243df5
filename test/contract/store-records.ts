/** Records and fixtures shared by the Store contract's files. */
import { formatArn, type Scope } from '../../src/domain/arn.js';
import type { LoggingConfiguration } from '../../src/domain/logging-configuration.js';
import type { Room } from '../../src/domain/room.js';
import type { Store } from '../../src/store/store.js';

/** One fresh backing store (a database file, a PostgreSQL database or schema). */
export interface StoreFixture {
  /** Opens another instance on the same data, as another node would. */
  open(): Promise<Store>;
  /** Removes the data; every instance is closed by then. */
  dispose(): Promise<void>;
}

/** What the split-out parts of the contract get: the test's first instance, and more. */
export interface StoreContext {
  readonly store: () => Store;
  /** Another instance on the same data; closed after the test. */
  readonly another: () => Promise<Store>;
}

export const EAST: Scope = { accountId: '123456789012', region: 'us-east-1' };
export const WEST: Scope = { accountId: '123456789012', region: 'us-west-2' };
export const OTHER: Scope = { accountId: '210987654321', region: 'us-east-1' };

let seq = 0;
const nextId = (prefix: string) => `${prefix}${String(++seq).padStart(12 - prefix.length, '0')}`;

export function roomRecord(scope: Scope, over: Partial<Room> = {}): Room {
  const id = over.id ?? nextId('R');
  return {
    ...scope,
    arn: formatArn(scope, 'room', id),
    id,
    name: '',
    createTime: 1_000,
    updateTime: 1_000,
    maximumMessageRatePerSecond: 10,
    maximumMessageLength: 500,
    messageReviewHandler: undefined,
    tags: {},
    loggingConfigurationIdentifiers: [],
    ...over,
  };
}

export function loggingRecord(scope: Scope, over: Partial<LoggingConfiguration> = {}): LoggingConfiguration {
  const id = over.id ?? nextId('L');
  return {
    ...scope,
    arn: formatArn(scope, 'logging-configuration', id),
    id,
    name: '',
    createTime: 1_000,
    updateTime: 1_000,
    destinationConfiguration: { s3: { bucketName: 'bucket' } },
    state: 'ACTIVE',
    tags: {},
    ...over,
  };
}

