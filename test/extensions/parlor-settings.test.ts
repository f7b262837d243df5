/** The `parlor:` settings: parsing with defaults, and the problems reported for bad tags. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PARLOR_SETTINGS, parlorSettings, parlorTagProblems } from '../../src/domain/parlor-settings.js';

test('no parlor: tags gives the defaults; each key sets its field', () => {
  assert.deepEqual(parlorSettings({ team: 'red' }), DEFAULT_PARLOR_SETTINGS);
  assert.deepEqual(parlorSettings({ 'parlor:history': '1000', 'parlor:replay': '100', 'parlor:slow-mode': '3600', 'parlor:presence-events': 'true' }), {
    history: 1000,
    replay: 100,
    slowModeSeconds: 3600,
    presenceEvents: true,
  });
  assert.deepEqual(parlorSettings({ 'parlor:history': '0', 'parlor:presence-events': 'false' }), DEFAULT_PARLOR_SETTINGS);
});

test('bad values and unknown parlor: keys are named as tags.<key>; other keys are not looked at', () => {
  const bad = {
    'parlor:history': '1001',
    'parlor:replay': '-1',
    'parlor:slow-mode': '1.5',
    'parlor:presence-events': 'yes',
    'parlor:colour': 'blue',
    'Parlor:history': 'anything',
    team: 'red',
  };
  assert.deepEqual(
    parlorTagProblems(bad).map((p) => p.name).sort(),
    ['tags.parlor:colour', 'tags.parlor:history', 'tags.parlor:presence-events', 'tags.parlor:replay', 'tags.parlor:slow-mode'],
  );
  for (const value of ['', ' 5', '5 ', '+5', '1e2', '0x10', '5.0', 'NaN']) {
    assert.equal(parlorTagProblems({ 'parlor:history': value }).length, 1, JSON.stringify(value));
  }
  for (const value of ['0', '7', '010', '1000']) assert.deepEqual(parlorTagProblems({ 'parlor:history': value }), [], value);
  assert.deepEqual(parlorTagProblems(undefined), []);
  assert.deepEqual(parlorTagProblems('not a map'), []);
});
