/**
 * Runs one of this folder's boto3 scripts with Parlor's botocore model on the data path
 * (AWS_DATA_PATH=<repo>/models) and no AWS settings from the machine, and parses the JSON it
 * prints. `boto3Skip` says why such tests cannot run here (undefined when they can).
 */
import { execFile, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export const boto3Skip = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore', timeout: 30_000 }).status === 0 ? undefined : 'boto3 is not installed';

export function runBoto3Script<T>(script: string, args: readonly string[]): Promise<T> {
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
    AWS_DATA_PATH: join(resolve(HERE, '../..'), 'models'),
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return new Promise((ok, fail) =>
    execFile('python3', [join(HERE, script), ...args], { env, timeout: 120_000 }, (err, out, errOut) =>
      err ? fail(new Error(`${err.message}\n${errOut}`)) : ok(JSON.parse(out) as T),
    ),
  );
}
