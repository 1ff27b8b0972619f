// package.json declares every `fintechK8s.*` setting once (default, scope, description); the client's table
// of the settings it reads and the server's fallback for editors that cannot be asked must agree with it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { SETTINGS_SECTION } from '../../server/protocol';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { CLIENT_SETTING_SCOPES } from '../../src/config-keys';

const ROOT = resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const declared: Record<string, { default?: unknown; scope?: string }> = Object.fromEntries(
  Object.entries(manifest.contributes.configuration.properties as Record<string, { default?: unknown; scope?: string }>).map(
    ([key, value]) => [key.slice(SETTINGS_SECTION.length + 1), value],
  ),
);

const serverDefaults = flatten(DEFAULT_SETTINGS);

describe('settings: package.json and the code', () => {
  it('declares each setting under the fintechK8s section with a default and a scope', () => {
    for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.ok(key.startsWith(`${SETTINGS_SECTION}.`), key);
    for (const [key, value] of Object.entries(declared)) {
      assert.ok('default' in value, `${key} has no default`);
      assert.ok(value.scope, `${key} has no scope`);
    }
  });

  it('has every declared setting read by the client or the server, and nothing read that is not declared', () => {
    const read = new Set([...Object.keys(CLIENT_SETTING_SCOPES), ...Object.keys(serverDefaults)]);
    assert.deepEqual([...read].sort(), Object.keys(declared).sort());
  });

  it('reads client settings in the scope the manifest gives them (resource ones for a URI)', () => {
    for (const [key, scope] of Object.entries(CLIENT_SETTING_SCOPES)) assert.equal(scope, declared[key].scope, key);
  });

  it('falls back to the declared defaults in the server when the editor cannot be asked', () => {
    for (const [key, value] of Object.entries(serverDefaults)) assert.deepEqual(value, declared[key].default, key);
  });
});

/** The server gets the section as one object (`helm.path` arrives as helm: { path }): flattened to the manifest's keys. */
function flatten(value: object, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) Object.assign(flat, flatten(inner, `${prefix}${key}.`));
    else flat[`${prefix}${key}`] = inner;
  }
  return flat;
}
