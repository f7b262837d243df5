import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, DEFAULTS, loadConfig } from '../../src/app/config.js';

test('maxConnections: default 50,000, env PARLOR_MAX_CONNECTIONS, flag --max-connections wins', () => {
  assert.equal(DEFAULTS.maxConnections, 50_000);
  assert.equal(loadConfig([], {}).maxConnections, 50_000);
  assert.equal(loadConfig([], { PARLOR_MAX_CONNECTIONS: '1200' }).maxConnections, 1200);
  assert.equal(loadConfig(['--max-connections', '7'], { PARLOR_MAX_CONNECTIONS: '1200' }).maxConnections, 7);
  assert.throws(() => loadConfig(['--max-connections', '0'], {}), ConfigError);
  assert.throws(() => loadConfig([], { PARLOR_MAX_CONNECTIONS: 'lots' }), ConfigError);
});
