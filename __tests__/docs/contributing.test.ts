// CONTRIBUTING.md is a map of the project: it must list what is there, all of it, and nothing
// that is not. RELEASING.md must keep the steps that make an immutable release.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import config from '../../vitest.config.js';
import { ROOT, read, section, tableRows } from './markdown.js';

const contributing = read('CONTRIBUTING.md');

describe('the source map of CONTRIBUTING.md', () => {
  const rows = tableRows(section(contributing, 'Source map'));

  it('lists every file in src/, and no file that is not there', () => {
    const files = readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `${join(entry.parentPath, entry.name).slice(ROOT.length).replace(/^\/+/, '')}`)
      .sort();
    expect(files.length).toBeGreaterThan(20);
    expect(rows.map((row) => row.name).sort()).toEqual(files);
  });

  it('gives each file its one job, once', () => {
    const names = rows.map((row) => row.name);
    expect(new Set(names).size).toBe(names.length);
    for (const row of rows) expect(row.cells[0], row.name).toMatch(/\w{3}.*\.$/);
  });
});

describe('the tests section of CONTRIBUTING.md', () => {
  const rows = tableRows(section(contributing, 'Tests'));
  const projects = (config.test?.projects ?? []).map((project) =>
    typeof project === 'object' && project !== null && 'test' in project ? (project.test?.name ?? '') : '',
  );

  it('describes each vitest project, in the order vitest.config.ts runs them, with its folder', () => {
    expect(projects).toEqual(['unit', 'integration', 'in-process', 'e2e', 'docs']);
    expect(rows.map((row) => row.name)).toEqual(projects);
    for (const row of rows) expect(row.cells[0], row.name).toBe(`\`__tests__/${row.name}/\``);
  });
});

describe('the scripts section of CONTRIBUTING.md', () => {
  it('lists every npm script of package.json', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    const listed = new Set(tableRows(section(contributing, 'Scripts')).map((row) => row.name));
    for (const name of Object.keys(scripts)) {
      expect(
        [`npm run ${name}`, `npm ${name}`].some((form) => listed.has(form)),
        name,
      ).toBe(true);
    }
    expect(listed).toContain('bash .ci/run');
  });

  it('describes the bench, the dist/ discipline and the release, and the two set-up commands', () => {
    expect(contributing).toContain('npm ci && npm run demo');
    expect(section(contributing, 'The bench')).toContain('40 runs');
    expect(section(contributing, 'The dist/ discipline')).toContain('npm run bundle');
    expect(section(contributing, 'Releasing')).toContain('(RELEASING.md)');
  });
});

describe('RELEASING.md', () => {
  const releasing = read('RELEASING.md');

  it('drafts and publishes an immutable release, then moves the major tag', () => {
    expect(releasing).toContain('Enable release immutability');
    const draft = releasing.indexOf('gh release create v1.2.3 --draft');
    const publish = releasing.indexOf('gh release edit v1.2.3 --draft=false');
    const move = releasing.indexOf('git push origin v1 --force');
    expect(draft).toBeGreaterThan(0);
    expect(publish).toBeGreaterThan(draft);
    expect(move).toBeGreaterThan(publish);
    expect(releasing).toContain('src/version.ts');
    expect(releasing).toContain('CHANGELOG.md');
  });
});
