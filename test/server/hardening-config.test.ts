/** The hardening options: env, flags, defaults, and refusals that name the setting. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, DEFAULTS, loadConfig } from '../../src/app/config.js';

test('defaults: no TLS, no CORS, no trusted proxies, no per-address cap, open /metrics', () => {
  assert.equal(DEFAULTS.tlsCert, undefined);
  assert.equal(DEFAULTS.tlsKey, undefined);
  assert.deepEqual(DEFAULTS.corsOrigins, []);
  assert.deepEqual(DEFAULTS.trustedProxies, []);
  assert.equal(DEFAULTS.maxConnectionsPerIp, 0);
  assert.equal(DEFAULTS.metricsToken, undefined);
});

test('environment and flags (flags win)', () => {
  const env = {
    PARLOR_TLS_CERT: '/etc/c.pem',
    PARLOR_TLS_KEY: '/etc/k.pem',
    PARLOR_CORS_ORIGINS: 'https://a.example, http://localhost:5173',
    PARLOR_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.7,fd00::/8',
    PARLOR_MAX_CONNECTIONS_PER_IP: '20',
    PARLOR_METRICS_TOKEN: 's3cret',
  };
  const c = loadConfig([], env);
  assert.equal(c.tlsCert, '/etc/c.pem');
  assert.equal(c.tlsKey, '/etc/k.pem');
  assert.deepEqual(c.corsOrigins, ['https://a.example', 'http://localhost:5173']);
  assert.deepEqual(c.trustedProxies, ['10.0.0.0/8', '192.168.1.7', 'fd00::/8']);
  assert.equal(c.maxConnectionsPerIp, 20);
  assert.equal(c.metricsToken, 's3cret');
  const f = loadConfig(
    ['--tls-cert', 'c2', '--tls-key', 'k2', '--cors-origins', '*', '--trusted-proxies', '127.0.0.1/32', '--max-connections-per-ip', '3', '--metrics-token', 't2'],
    env,
  );
  assert.deepEqual([f.tlsCert, f.tlsKey, f.corsOrigins, f.trustedProxies, f.maxConnectionsPerIp, f.metricsToken], ['c2', 'k2', ['*'], ['127.0.0.1/32'], 3, 't2']);
});

test('refusals name the setting and what is wrong', () => {
  assert.throws(() => loadConfig(['--tls-cert', 'c.pem'], {}), (e: unknown) => e instanceof ConfigError && /PARLOR_TLS_KEY/.test(e.message) && /both/.test(e.message));
  assert.throws(() => loadConfig([], { PARLOR_TLS_KEY: 'k.pem' }), (e: unknown) => e instanceof ConfigError && /PARLOR_TLS_CERT/.test(e.message));
  assert.throws(() => loadConfig(['--cors-origins', 'https://a.example/'], {}), /PARLOR_CORS_ORIGINS.*not an origin/);
  assert.throws(() => loadConfig(['--cors-origins', '*,https://a.example'], {}), /cannot be combined/);
  assert.throws(() => loadConfig(['--trusted-proxies', '10.0.0.0/33'], {}), /PARLOR_TRUSTED_PROXIES.*not a CIDR/);
  assert.throws(() => loadConfig(['--trusted-proxies', 'proxy.local'], {}), /not a CIDR/);
  assert.throws(() => loadConfig(['--max-connections-per-ip', 'many'], {}), /PARLOR_MAX_CONNECTIONS_PER_IP/);
});
