// CONTRIBUTING.md is a map of the project: it must list what is there, all of it, and nothing
// that is not. RELEASING.md must keep the steps that make an immutable release.

import { describe, expect, it } from 'vitest';

import config from '../../vitest.config.js';
import { filesIn, read, section, tableRows } from './markdown.js';

const contributing = read('CONTRIBUTING.md');

describe('the source map of CONTRIBUTING.md', () => {
  const rows = tableRows(section(contributing, 'Source map'));

  it('lists every file in src/ once, with its one job, and no file that is not there', () => {
    const files = filesIn('src', /./); // src/ has no folders: one would show here as a file the map lacks
    expect(files.length).toBeGreaterThan(10);
    expect(rows.map((row) => row.name).sort()).toEqual(files);
    for (const row of rows) expect(row.cells[0], row.name).toMatch(/\w{3}.*\.$/);
  });
});

describe('the tests section of CONTRIBUTING.md', () => {
  const tests = section(contributing, 'Tests');

  it('describes each vitest project, in the order vitest.config.ts runs them, with its folder', () => {
    const projects = (config.test?.projects as { test: { name: string } }[]).map(({ test }) => test.name);
    expect(projects).toEqual(['unit', 'integration', 'in-process', 'e2e', 'docs']);
    expect(tableRows(tests).map((row) => row.name)).toEqual(projects);
    for (const { name, cells } of tableRows(tests)) expect(cells[0], name).toBe(`\`__tests__/${name}/\``);
  });

  it('says that a test fails only when its behaviour is broken, which limits a test uses, and how to prove a change', () => {
    const rules = tests.replace(/\s+/g, ' ');
    expect(rules).toContain('a test fails only when the behaviour it names is broken');
    expect(rules).toContain("for i in 1 2 3 4; do timeout 600 sh -c 'while :; do :; done' & done");
    expect(rules).toContain('`TEST_LIMITS` (`__tests__/support/in-process.ts`)');
    expect(read('__tests__/support/in-process.ts')).toContain('export const TEST_LIMITS');
  });
});

describe('the scripts section of CONTRIBUTING.md', () => {
  it('lists every npm script of package.json', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    const listed = new Set(tableRows(section(contributing, 'Scripts')).map((row) => row.name));
    for (const name of Object.keys(scripts))
      expect(listed.has(`npm run ${name}`) || listed.has(`npm ${name}`), name).toBe(true);
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
    const steps = 'gh release create v1.2.3 --draft|gh release edit v1.2.3 --draft=false|git push origin v1 --force';
    const at = steps.split('|').map((step) => releasing.indexOf(step));
    expect(at[0]).toBeGreaterThan(0);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    for (const named of ['src/version.ts', 'CHANGELOG.md']) expect(releasing).toContain(named);
  });
});
