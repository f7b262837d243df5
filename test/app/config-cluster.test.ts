/** Cluster-mode configuration: both URLs or neither, workers only in cluster mode, masked passwords. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, DEFAULTS, loadConfig, maskPassword, modeOf } from '../../src/app/config.js';

const DB = 'postgres://parlor:s3cret@db.internal:5432/parlor';
const REDIS = 'redis://:hunter2@cache.internal:6379/0';

test('defaults: embedded mode, cluster name "parlor", node id from host and port, one worker', () => {
  const config = loadConfig([], {});
  assert.equal(modeOf(config), 'embedded');
  assert.equal(config.clusterName, 'parlor');
  assert.equal(config.nodeId, undefined);
  assert.equal(config.workers, 1);
  assert.equal(DEFAULTS.workers, 1);
});

test('both URLs: cluster mode; flags win over the environment', () => {
  const config = loadConfig(['--cluster-name', 'blue', '--node-id', 'n1', '--workers', 'auto'], {
    PARLOR_DATABASE_URL: DB,
    PARLOR_REDIS_URL: REDIS,
    PARLOR_CLUSTER_NAME: 'green',
    PARLOR_WORKERS: '3',
  });
  assert.equal(modeOf(config), 'cluster');
  assert.equal(config.databaseUrl, DB);
  assert.equal(config.redisUrl, REDIS);
  assert.equal(config.clusterName, 'blue');
  assert.equal(config.nodeId, 'n1');
  assert.equal(config.workers, 'auto');
  assert.equal(loadConfig(['--database-url', DB, '--redis-url', REDIS, '--workers', '4'], {}).workers, 4);
});

test('only one URL: refuses, naming the missing one', () => {
  assert.throws(() => loadConfig([], { PARLOR_DATABASE_URL: DB }), (err: Error) => err instanceof ConfigError && /PARLOR_REDIS_URL \/ --redis-url is missing/.test(err.message));
  assert.throws(() => loadConfig(['--redis-url', REDIS], {}), (err: Error) => err instanceof ConfigError && /PARLOR_DATABASE_URL \/ --database-url is missing/.test(err.message));
});

test('more than one worker without cluster mode: refuses and says why', () => {
  for (const workers of ['2', 'auto']) {
    assert.throws(
      () => loadConfig([], { PARLOR_WORKERS: workers }),
      (err: Error) => err instanceof ConfigError && /needs cluster mode/.test(err.message) && /PARLOR_DATABASE_URL and PARLOR_REDIS_URL/.test(err.message),
    );
  }
  assert.throws(() => loadConfig(['--workers', '0'], {}), ConfigError);
  assert.throws(() => loadConfig(['--workers', 'many'], {}), ConfigError);
});

test('bad URLs are refused without echoing the password', () => {
  assert.throws(() => loadConfig([], { PARLOR_DATABASE_URL: 'mysql://u:pw@h/db', PARLOR_REDIS_URL: REDIS }), (err: Error) => /postgres:\/\//.test(err.message) && !err.message.includes(':pw@'));
  assert.throws(() => loadConfig([], { PARLOR_DATABASE_URL: DB, PARLOR_REDIS_URL: 'http://x:pw@h' }), (err: Error) => /redis:\/\//.test(err.message) && !err.message.includes(':pw@'));
  assert.throws(() => loadConfig(['--cluster-name', 'has space'], {}), ConfigError);
});

test('maskPassword hides passwords, keeps the rest', () => {
  assert.equal(maskPassword(DB), 'postgres://parlor:***@db.internal:5432/parlor');
  assert.equal(maskPassword(REDIS), 'redis://:***@cache.internal:6379/0');
  assert.equal(maskPassword('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379');
});
