// scripts/release.js, the logic of .github/workflows/release.yml, run against a temporary git
// repository whose origin is a bare repository on disk. GitHub is a fake `gh` first on PATH that
// records its arguments (and the notes file it is given); the dist/ check is a command the test
// chooses. Nothing leaves the machine.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { changelog } from '../support/changelog.js';
import { ROOT, read } from './markdown.js';

const RELEASE_SCRIPT = join(ROOT, 'scripts/release.js');

const FAKE_GH = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
const notesAt = args.indexOf('--notes-file');
const notes = notesAt >= 0 ? fs.readFileSync(args[notesAt + 1], 'utf8') : undefined;
fs.appendFileSync(process.env.FAKE_GH_LOG, JSON.stringify({ args, notes }) + '\\n');
if (args[0] === 'release' && args[1] === 'view') {
  if (process.env.FAKE_GH_EXISTING === args[2]) process.stdout.write('{"isDraft":false}\\n');
  else { process.stderr.write('release not found\\n'); process.exit(1); }
}
`;

interface Repo {
  readonly dir: string;
  readonly origin: string;
  readonly ghLog: string;
  git(...args: string[]): string;
  /** Sets the version in package.json, src/version.ts and the CHANGELOG, and commits; returns the commit. */
  commitVersion(version: string, changelogVersion?: string): string;
  release(args: string | string[], env?: Record<string, string>): { status: number | null; output: string };
  ghCalls(): { args: string[]; notes?: string }[];
}

let scratch: string;
let repo: Repo;

function makeRepo(root: string): Repo {
  const dir = join(root, 'work');
  const origin = join(root, 'origin.git');
  const bin = join(root, 'bin');
  const ghLog = join(root, 'gh.log');
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(bin);
  writeFileSync(join(bin, 'gh'), FAKE_GH);
  chmodSync(join(bin, 'gh'), 0o755);
  writeFileSync(ghLog, '');
  const env = {
    ...process.env,
    PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}`,
    FAKE_GH_LOG: ghLog,
    GIT_CONFIG_GLOBAL: join(root, 'gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Release Test',
    GIT_AUTHOR_EMAIL: 'release-test@example.invalid',
    GIT_COMMITTER_NAME: 'Release Test',
    GIT_COMMITTER_EMAIL: 'release-test@example.invalid',
  };
  const git = (...args: string[]): string => {
    const result = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };
  spawnSync('git', ['init', '--quiet', '--bare', origin], { env });
  git('init', '--quiet', '--initial-branch=main');
  git('remote', 'add', 'origin', origin);
  return {
    dir,
    origin,
    ghLog,
    git,
    commitVersion(version, changelogVersion = version) {
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'apprunner-connection-action', version })}\n`);
      writeFileSync(join(dir, 'src/version.ts'), `export const ACTION_VERSION = '${version}';\n`);
      writeFileSync(join(dir, 'CHANGELOG.md'), changelog({ newest: changelogVersion }));
      git('add', '.');
      git('commit', '--quiet', '--allow-empty', '-m', `Version ${version}`);
      git('push', '--quiet', 'origin', 'main');
      return git('rev-parse', 'HEAD');
    },
    release(args, extra = {}) {
      const result = spawnSync(process.execPath, [RELEASE_SCRIPT, ...[args].flat()], {
        cwd: dir,
        env: { ...env, RELEASE_CHECK_DIST: 'echo dist/ matches a fresh build.', ...extra },
        encoding: 'utf8',
      });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    },
    ghCalls() {
      return readFileSync(ghLog, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { args: string[]; notes?: string });
    },
  };
}

const remoteTag = (name: string): string | undefined => {
  const result = spawnSync('git', ['--git-dir', repo.origin, 'rev-parse', '--verify', '--quiet', `refs/tags/${name}`], {
    encoding: 'utf8',
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
};
const isRelease = (args: string[], verb: string): boolean => args[0] === 'release' && args[1] === verb;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'release-test-'));
  repo = makeRepo(scratch);
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('the release script', () => {
  it('drafts the release with the CHANGELOG section as notes, then publishes it, then moves v1 to it', () => {
    const first = repo.commitVersion('1.0.0', '1.0.0');
    repo.git('tag', 'v1', first);
    repo.git('push', '--quiet', 'origin', 'refs/tags/v1');
    const commit = repo.commitVersion('1.1.0');

    const { status, output } = repo.release('1.1.0');

    expect(status, output).toBe(0);
    const calls = repo.ghCalls();
    const create = calls.findIndex(({ args }) => isRelease(args, 'create'));
    const publish = calls.findIndex(({ args }) => isRelease(args, 'edit'));
    expect(create).toBeGreaterThanOrEqual(0);
    expect(publish, 'published after the draft is created').toBeGreaterThan(create);
    const createArgs = calls[create]?.args ?? [];
    expect(createArgs.slice(0, 4)).toEqual(['release', 'create', 'v1.1.0', '--draft']);
    expect(createArgs[createArgs.indexOf('--target') + 1]).toBe(commit);
    expect(createArgs[createArgs.indexOf('--title') + 1]).toBe('v1.1.0');
    expect(calls[create]?.notes).toBe(
      '### Added\n\n- `mask-aws-account-id`.\n\n### Fixed\n\n- A wait checks once more at its end.\n',
    );
    expect(calls[publish]?.args).toEqual(['release', 'edit', 'v1.1.0', '--draft=false']);
    expect(remoteTag('v1'), 'v1 moved from the 1.0.0 commit').toBe(commit);
    expect(repo.git('cat-file', '-t', 'refs/tags/v1'), 'a lightweight tag').toBe('commit');
    expect(output).toContain('Moved v1 to');
  });

  it('takes the tag a push names (v1.1.0), and verifies a pushed tag is on the checked-out commit', () => {
    const commit = repo.commitVersion('1.1.0');
    repo.git('tag', 'v1.1.0');
    const { status, output } = repo.release('v1.1.0');
    expect(status, output).toBe(0);
    const create = repo.ghCalls().find(({ args }) => isRelease(args, 'create'))?.args ?? [];
    expect(create).toContain('--verify-tag');
    expect(remoteTag('v1')).toBe(commit);

    repo.commitVersion('1.1.0');
    const elsewhere = repo.release('v1.1.0');
    expect(elsewhere.status).toBe(1);
    expect(elsewhere.output).toContain(`The tag v1.1.0 is on ${commit}, not on the checked-out commit`);
  });

  it('refuses a stale dist/, before any call to GitHub', () => {
    repo.commitVersion('1.1.0');
    const { status, output } = repo.release('1.1.0', {
      RELEASE_CHECK_DIST: 'echo "dist/ is stale: index.js differs from a fresh build." && exit 1',
    });
    expect(status).toBe(1);
    expect(output).toContain('dist/ is stale: index.js differs');
    expect(output).toContain('Not released. dist/ is not what the sources build');
    expect(repo.ghCalls()).toEqual([]);
    expect(remoteTag('v1')).toBeUndefined();
  });

  it('refuses a version that the CHANGELOG does not have, before checking dist/', () => {
    repo.commitVersion('1.2.0', '1.1.0');
    const { status, output } = repo.release('1.2.0', { RELEASE_CHECK_DIST: 'echo dist check ran' });
    expect(status).toBe(1);
    expect(output).toContain('Not released. CHANGELOG.md has no section for 1.2.0');
    expect(output).not.toContain('dist check ran');
    expect(repo.ghCalls()).toEqual([]);
  });

  it('refuses when package.json, src/version.ts and the CHANGELOG disagree', () => {
    repo.commitVersion('1.1.0');
    writeFileSync(join(repo.dir, 'src/version.ts'), "export const ACTION_VERSION = '1.0.0';\n");
    const { status, output } = repo.release('1.1.0');
    expect(status).toBe(1);
    expect(output).toContain('package.json says 1.1.0, src/version.ts says 1.0.0.');
    expect(repo.ghCalls()).toEqual([]);
  });

  it('refuses a version that already has a release: a published one is immutable', () => {
    repo.commitVersion('1.1.0');
    const { status, output } = repo.release('1.1.0', { FAKE_GH_EXISTING: 'v1.1.0' });
    expect(status).toBe(1);
    expect(output).toContain('A release v1.1.0 already exists');
    expect(repo.ghCalls().map(({ args }) => args.slice(0, 2).join(' '))).toEqual(['release view']);
    expect(remoteTag('v1')).toBeUndefined();
  });

  it('stops at the draft with --draft-only, for a person to publish it with the Marketplace box ticked', () => {
    repo.commitVersion('1.1.0');
    const { status, output } = repo.release(['--draft-only', '1.1.0']);
    expect(status, output).toBe(0);
    expect(repo.ghCalls().map(({ args }) => args.slice(0, 4).join(' '))).toEqual([
      'release view v1.1.0 --json',
      'release create v1.1.0 --draft',
    ]);
    expect(output).toContain('Publish this Action to the GitHub Marketplace');
    expect(remoteTag('v1')).toBeUndefined();
  });

  it('only moves the major tag to the release with --move-major, once a person has published it', () => {
    const released = repo.commitVersion('1.1.0');
    repo.git('tag', 'v1.1.0');
    repo.commitVersion('1.1.0');
    const { status, output } = repo.release(['--move-major', 'v1.1.0']);
    expect(status, output).toBe(0);
    expect(remoteTag('v1')).toBe(released);
    expect(repo.ghCalls()).toEqual([]);
    expect(repo.release(['--move-major', 'v1.2.0']).output).toContain('There is no tag v1.2.0');
  });

  it('refuses what is not a version', () => {
    repo.commitVersion('1.1.0');
    const { status, output } = repo.release('main');
    expect(status).toBe(1);
    expect(output).toContain('Usage: node scripts/release.js [--draft-only | --move-major] X.Y.Z (given: main)');
  });
});

type Yaml = Record<string, unknown>;
const workflow = parse(read('.github/workflows/release.yml')) as Yaml;
const at = (value: unknown, ...path: string[]): Yaml => {
  let current = value;
  for (const key of path) current = (current as Yaml | undefined)?.[key];
  return (current ?? {}) as Yaml;
};

describe('the release workflow', () => {
  const [job] = Object.values(at(workflow, 'jobs'));
  const steps = (at(job)['steps'] ?? []) as Yaml[];
  const scripts = steps.map((step) => String(step['run'] ?? '')).join('\n');

  it('runs its one job on a pushed version tag, by hand with the version to release, and on a release published by hand', () => {
    expect(Object.keys(at(workflow, 'jobs'))).toHaveLength(1);
    expect(at(workflow, 'on', 'push')['tags']).toEqual(['v*.*.*']);
    expect(at(workflow, 'on', 'workflow_dispatch', 'inputs', 'version')['required']).toBe(true);
    expect(at(workflow, 'on', 'workflow_dispatch', 'inputs', 'marketplace')['default']).toBe(false);
    expect(at(workflow, 'on', 'release')['types']).toEqual(['published']);
    expect(scripts).toContain('--move-major');
    expect(scripts).toContain('--draft-only');
  });

  it('installs the dependencies, then runs the script with the real dist/ check and the job token', () => {
    expect(scripts.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
    expect(scripts.indexOf('node scripts/release.js')).toBeGreaterThan(scripts.indexOf('npm ci'));
    expect(scripts).toContain('gh auth setup-git');
    expect(read('.github/workflows/release.yml')).not.toContain('RELEASE_CHECK_DIST');
    const release = steps.find((step) => String(step['run'] ?? '').includes('node scripts/release.js'));
    expect(at(release, 'env')['GH_TOKEN']).toBe('${{ github.token }}');
  });

  it('passes the version through the environment, never into the script text', () => {
    expect(scripts).not.toContain('${{');
  });
});
