/** Values shared by the control-plane tests: ARNs of the default account, strings of exact lengths. */
export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '210987654321';

export const roomArn = (id = 'AAAAAAAAAAAA', region = 'us-east-1', account = ACCOUNT): string =>
  `arn:aws:ivschat:${region}:${account}:room/${id}`;
export const loggingArn = (id = 'AAAAAAAAAAAA', region = 'us-east-1', account = ACCOUNT): string =>
  `arn:aws:ivschat:${region}:${account}:logging-configuration/${id}`;

/** `n` characters of `c`. */
export const chars = (n: number, c = 'a'): string => c.repeat(n);

const LAMBDA_PREFIX = 'arn:aws:lambda:us-east-1:123456789012:function:';
/** A Lambda function ARN of exactly `length` characters (≥ 48). */
export function lambdaArn(length = 60): string {
  return LAMBDA_PREFIX + chars(length - LAMBDA_PREFIX.length, 'f');
}

/** `n` tags k0..k(n-1). */
export function tagsOf(n: number, prefix = 'k'): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `v${i}`]));
}

/** Regions used as clean slates: each test that counts things works in its own region. */
let regionCounter = 0;
export function freshRegion(): string {
  regionCounter++;
  return `test-${process.pid}-${regionCounter}`;
}
