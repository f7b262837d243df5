/**
 * boto3 and the AWS CLI as children of a test: whether each is installed (checked, never
 * assumed; tests skip loudly when not), an environment with dummy credentials and no config
 * files of the machine, and an asynchronous run (the server may live in the test process).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether a command can run here. */
export function available(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

/** Why boto3 tests skip here, or undefined when python3 and boto3 are installed. */
export function boto3Missing(): string | undefined {
  if (!available('python3', ['--version'])) return 'python3 is not installed';
  return available('python3', ['-c', 'import boto3']) ? undefined : 'boto3 is not installed (pip install boto3)';
}

/** Why AWS CLI tests skip here, or undefined when `aws` is installed. */
export function awsCliMissing(): string | undefined {
  return available('aws', ['--version']) ? undefined : 'the AWS CLI (`aws`) is not installed';
}

/** AWS config files that do not exist, so no profile or key on the machine leaks into a run; remove with `cleanup`. */
export function awsSandbox(): { env: () => NodeJS.ProcessEnv; cleanup: () => void } {
  const noConfig = mkdtempSync(join(tmpdir(), 'parlor-aws-'));
  return {
    env: () => ({
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(noConfig, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(noConfig, 'credentials'),
      AWS_PAGER: '',
    }),
    cleanup: () => rmSync(noConfig, { recursive: true, force: true }),
  };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a child asynchronously and resolves with its exit code and output. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 120_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
