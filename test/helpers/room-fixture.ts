/** A stored room for tests of the chat core without a control plane. */
import type { Room } from '../../src/domain/room.js';

export const SAMPLE_ROOM: Room = {
  arn: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456',
  id: 'AbCdEf123456',
  accountId: '123456789012',
  region: 'us-east-1',
  name: '',
  createTime: 1,
  updateTime: 1,
  maximumMessageRatePerSecond: 10,
  maximumMessageLength: 500,
  messageReviewHandler: undefined,
  tags: {},
  loggingConfigurationIdentifiers: [],
};
