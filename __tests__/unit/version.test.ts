// The user agent names the action and its version (so CloudTrail shows who called);
// the version must be the one package.json releases.

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { ACTION_NAME, ACTION_VERSION } from '../../src/version.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

describe('the version in the user agent', () => {
  it('equals the version in package.json', () => {
    expect(ACTION_VERSION).toBe(packageJson.version);
  });

  it('names the action as package.json does', () => {
    expect(ACTION_NAME).toBe(packageJson.name);
  });
});
