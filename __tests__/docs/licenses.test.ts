// The bundle carries third-party code under the licenses listed in dist/licenses.txt (ncc's
// --license output): scripts/check-licenses.js fails on any license outside its allow-list.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ALLOWED_LICENSES, isAllowed, licenseProblems, parseLicenses } from '../../scripts/check-licenses.js';
import { ROOT, read } from './markdown.js';

const checkLicenses = (...args: string[]): { status: number | null; output: string } => {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts/check-licenses.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
};

describe('the license check', () => {
  it('passes on the dist/licenses.txt of the committed bundle', () => {
    const { status, output } = checkLicenses();
    expect(status, output).toBe(0);
    expect(output).toMatch(/^dist\/licenses\.txt: \d+ packages, every license allowed/);
  });

  it('fails on a licenses file with a GPL-3.0 package, naming it', () => {
    const { status, output } = checkLicenses('__tests__/docs/fixtures/licenses-with-gpl.txt');
    expect(status).toBe(1);
    expect(output).toContain('copyleft-parser: GPL-3.0 is not on the allow-list');
    expect(output).not.toContain('@actions/core:');
    expect(output).not.toContain('tslib:');
  });

  it("reads every package of ncc's format, with its license id, and one without an id as a problem", () => {
    expect(parseLicenses(read('__tests__/docs/fixtures/licenses-with-gpl.txt'))).toEqual([
      { name: '@actions/core', license: 'MIT' },
      { name: 'copyleft-parser', license: 'GPL-3.0' },
      { name: 'tslib', license: '0BSD' },
    ]);
    const withoutId = parseLicenses('left-pad\nCopyright (c) someone\n\nzod\nMIT\ntext\n');
    expect(licenseProblems(withoutId)).toEqual(['left-pad: no license id']);
    expect(licenseProblems([])).toHaveLength(1);
  });

  it('finds every package of the real bundle under a license it allows', () => {
    const packages = parseLicenses(read('dist/licenses.txt'));
    expect(packages.length).toBeGreaterThan(20);
    expect(packages.map((entry) => entry.name)).toContain('@aws-sdk/client-apprunner');
    expect(licenseProblems(packages)).toEqual([]);
  });

  it('allows a choice that includes an allowed license, and nothing with an exception or a copyleft part', () => {
    expect(ALLOWED_LICENSES).toEqual(['0BSD', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'MIT']);
    expect(isAllowed('(MIT OR GPL-3.0)')).toBe(true);
    expect(isAllowed('MIT AND BSD-3-Clause')).toBe(true);
    expect(isAllowed('MIT AND LGPL-2.1')).toBe(false);
    expect(isAllowed('Apache-2.0 WITH LLVM-exception')).toBe(false);
    expect(isAllowed('UNLICENSED')).toBe(false);
  });
});
