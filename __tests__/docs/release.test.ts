// One version everywhere: package.json, src/version.ts (sent in the user agent) and the newest
// release of CHANGELOG.md say the same, and nothing users can see waits under [Unreleased], so
// what main holds is what its newest release notes describe. The rules are in scripts/changelog.js,
// which the release script applies too; here on fixtures, then on this repository.

import { describe, expect, it } from 'vitest';

import { parseChangelog, readVersions, userFacingUnreleased, versionProblems } from '../../scripts/changelog.js';
import { ACTION_VERSION } from '../../src/version.js';
import { changelog } from '../support/changelog.js';
import { ROOT, read, section } from './markdown.js';

const agreeing = { packageVersion: '1.1.0', sourceVersion: '1.1.0' };
const newer = (a: string, b: string): boolean => {
  const [x = [], y = []] = [a, b].map((version) => version.split('.').map(Number));
  const differs = x.findIndex((part, i) => part !== y[i]);
  return differs >= 0 && (x[differs] ?? 0) > (y[differs] ?? 0);
};

describe('the version rules, on a fixture CHANGELOG', () => {
  it('pass when all three say 1.1.0 and [Unreleased] holds only an Internal list', () => {
    expect(versionProblems({ ...agreeing, changelog: changelog() })).toEqual([]);
    expect(versionProblems({ ...agreeing, changelog: changelog({ unreleased: '' }) })).toEqual([]);
  });

  it('fail when package.json and src/version.ts disagree', () => {
    expect(versionProblems({ packageVersion: '1.1.0', sourceVersion: '1.0.0', changelog: changelog() })).toEqual([
      'package.json says 1.1.0, src/version.ts says 1.0.0.',
    ]);
  });

  it('fail when the newest release of the CHANGELOG is another version, or has no date', () => {
    expect(versionProblems({ ...agreeing, changelog: changelog({ newest: '1.2.0' }) })).toEqual([
      'The newest release in CHANGELOG.md is 1.2.0, package.json says 1.1.0.',
    ]);
    expect(versionProblems({ ...agreeing, changelog: changelog({ date: 'unreleased' }) })).toEqual([
      "CHANGELOG.md's heading of 1.1.0 has no date (## [1.1.0] - YYYY-MM-DD).",
    ]);
  });

  it('fail on a change users can see under [Unreleased], whatever its heading but Internal', () => {
    for (const unreleased of ['### Added\n\n- `retry-budget` input.\n', '- A fix.\n', '### Fixed\n\n* A fix.\n']) {
      const [problem, ...rest] = versionProblems({ ...agreeing, changelog: changelog({ unreleased }) });
      expect(rest).toEqual([]);
      expect(problem).toMatch(/^CHANGELOG.md lists 1 change users can see under \[Unreleased\] \(the first: ".+"\)/);
    }
    const mixed = '### Internal\n\n- A test.\n\n### Changed\n\n- A default.\n- A message.\n';
    expect(userFacingUnreleased(parseChangelog(changelog({ unreleased: mixed })).unreleased)).toEqual([
      'A default.',
      'A message.',
    ]);
  });

  it('read each release with its notes, newest first, without the link definitions', () => {
    const { releases } = parseChangelog(changelog());
    expect(releases.map(({ version, date }) => `${version} ${date}`)).toEqual(['1.1.0 2026-12-07', '1.0.0 2026-11-25']);
    expect(releases[0]?.notes).toBe(
      '### Added\n\n- `mask-aws-account-id`.\n\n### Fixed\n\n- A wait checks once more at its end.',
    );
    expect(releases[1]?.notes).toBe('### Added\n\n- The first release.');
  });
});

describe('the version of this repository', () => {
  it('is read from src/version.ts as the action sends it', () => {
    expect(readVersions(ROOT).sourceVersion).toBe(ACTION_VERSION);
  });

  // Fails while user-facing entries wait under [Unreleased]: cut the release (RELEASING.md).
  it('is one in package.json, src/version.ts and the newest CHANGELOG release, with nothing unreleased', () => {
    expect(versionProblems(readVersions(ROOT))).toEqual([]);
  });
});

describe('the release rules', () => {
  const releasing = read('RELEASING.md');

  it('say in RELEASING.md that a change users can see lands with its CHANGELOG line and version', () => {
    const rules = section(releasing, 'Changes users can see');
    expect(rules).toContain('CHANGELOG.md');
    expect(rules).toContain('### Internal');
    expect(rules).toContain('package.json');
    expect(rules).toContain('src/version.ts');
    expect(rules).toMatch(/\(since v1\.2\.0\)/);
  });

  it('say in the README how a newer input is marked, and mark each with a released version or a newer one', () => {
    const readme = read('README.md');
    expect(section(readme, 'Versioning')).toMatch(/\(since v\d+\.\d+\.\d+\)/);
    const { releases } = parseChangelog(read('CHANGELOG.md'));
    const marks = [...section(readme, 'Inputs').matchAll(/\(since v(\d+\.\d+\.\d+)\)/g)].map(
      ([, version = '']) => version,
    );
    expect(marks.length).toBeGreaterThan(0);
    const newest = releases[0]?.version ?? '0.0.0';
    for (const version of marks) {
      // A released version the CHANGELOG lists, or one newer than the newest release: not released yet.
      expect(releases.some((release) => release.version === version) || newer(version, newest), version).toBe(true);
    }
  });
});
