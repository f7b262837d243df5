import type { Scope } from './arn.js';

/** Logging configurations per account and region (AWS's default quota). */
export const LOGGING_CONFIGURATION_QUOTA = 10;

/** Exactly one destination, as the model's union says. */
export type Destination =
  | { readonly s3: { readonly bucketName: string } }
  | { readonly cloudWatchLogs: { readonly logGroupName: string } }
  | { readonly firehose: { readonly deliveryStreamName: string } };

export type LoggingConfigurationState =
  | 'CREATING'
  | 'CREATE_FAILED'
  | 'DELETING'
  | 'DELETE_FAILED'
  | 'UPDATING'
  | 'UPDATE_FAILED'
  | 'ACTIVE';

export interface LoggingConfiguration extends Scope {
  readonly arn: string;
  readonly id: string;
  readonly name: string;
  /** Epoch milliseconds. */
  readonly createTime: number;
  readonly updateTime: number;
  readonly destinationConfiguration: Destination;
  readonly state: LoggingConfigurationState;
  readonly tags: Readonly<Record<string, string>>;
}

export interface LoggingConfigurationPatch {
  readonly name?: string;
  readonly destinationConfiguration?: Destination;
}
