// Releases the commit checked out in the current directory as vX.Y.Z, as .github/workflows/release.yml
// runs it (RELEASING.md):
//   1. the version: package.json, src/version.ts and the newest CHANGELOG.md heading all say X.Y.Z,
//      that heading has notes, and nothing users can see waits under [Unreleased];
//   2. dist/ is what the sources build (`npm run check-dist`);
//   3. no release vX.Y.Z exists yet, and a tag vX.Y.Z, if pushed, is on this commit;
//   4. `gh release create` makes a DRAFT with the CHANGELOG section as its notes;
//   5. `gh release edit --draft=false` publishes it: with immutable releases on, the tag vX.Y.Z is locked
//      to this commit from then on, which is why nothing is published before every check has passed;
//   6. the major tag vX moves to this commit (a lightweight tag, force-pushed to origin).
// Usage: node scripts/release.js [--draft-only | --move-major] X.Y.Z   (or vX.Y.Z, as a tag names it)
//   --draft-only  steps 1-4: a person publishes the draft on the release page, where the Marketplace box is
//                 (it has no API, and an immutable release cannot be listed once published);
//   --move-major  step 6 alone, to the commit of the tag vX.Y.Z: for a release a person published.
// Environment: RELEASE_CHECK_DIST, a shell command that replaces `npm run check-dist` (the tests use it).
// It calls `gh` (with GH_TOKEN) and `git` from PATH.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseChangelog, readVersions, versionProblems } from './changelog.js';

const DEFAULT_CHECK_DIST = 'npm run check-dist';

class Refusal extends Error {}

/**
 * @param {string} command
 * @param {string[]} args
 */
const run = (command, args) => execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** @param {string} ref */
function commitOf(ref) {
  const found = spawnSync('git', ['rev-parse', '--quiet', '--verify', `${ref}^{commit}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/**
 * @param {string} major
 * @param {string} commit
 * @param {string} tag
 */
function moveMajor(major, commit, tag) {
  run('git', ['tag', '--force', major, commit]);
  run('git', ['push', '--force', 'origin', `refs/tags/${major}`]);
  console.log(`Moved ${major} to ${commit} (${tag}).`);
}

/**
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
export function release(args, env) {
  const draftOnly = args.includes('--draft-only');
  const moveOnly = args.includes('--move-major');
  const [requested, ...extra] = args.filter((arg) => arg !== '--draft-only' && arg !== '--move-major');
  const version = /^v?(\d+\.\d+\.\d+)$/.exec(requested ?? '')?.[1];
  if (version === undefined || extra.length > 0 || (draftOnly && moveOnly)) {
    throw new Refusal(`Usage: node scripts/release.js [--draft-only | --move-major] X.Y.Z (given: ${args.join(' ')}).`);
  }
  const tag = `v${version}`;
  const major = `v${version.split('.')[0]}`;

  if (moveOnly) {
    const released = commitOf(`refs/tags/${tag}`);
    if (released === undefined) throw new Refusal(`There is no tag ${tag} to move ${major} to.`);
    moveMajor(major, released, tag);
    return;
  }

  const versions = readVersions(process.cwd());
  const notes = parseChangelog(versions.changelog).releases.find((entry) => entry.version === version)?.notes;
  if (notes === undefined) throw new Refusal(`CHANGELOG.md has no section for ${version} (## [${version}] - date).`);
  if (notes === '') throw new Refusal(`CHANGELOG.md's section for ${version} is empty: it becomes the notes.`);
  const problems = versionProblems(versions);
  if (versions.packageVersion !== version)
    problems.unshift(`${tag} is asked for, package.json says ${versions.packageVersion}.`);
  if (problems.length > 0) throw new Refusal(`The version is not ready for ${tag}:\n  ${problems.join('\n  ')}`);

  const commit = commitOf('HEAD');
  if (commit === undefined) throw new Refusal('No commit is checked out.');
  const tagged = commitOf(`refs/tags/${tag}`);
  if (tagged !== undefined && tagged !== commit) {
    throw new Refusal(`The tag ${tag} is on ${tagged}, not on the checked-out commit ${commit}.`);
  }

  const checkDist = env.RELEASE_CHECK_DIST || DEFAULT_CHECK_DIST;
  console.log(`Checking dist/: ${checkDist}`);
  if (spawnSync(checkDist, { shell: true, stdio: 'inherit' }).status !== 0) {
    throw new Refusal('dist/ is not what the sources build: run `npm run bundle`, commit dist/, and release that.');
  }

  if (spawnSync('gh', ['release', 'view', tag, '--json', 'isDraft'], { stdio: 'ignore' }).status === 0) {
    throw new Refusal(
      `A release ${tag} already exists. A published one cannot change: release the next patch version. ` +
        `A draft left by an earlier run: delete it (gh release delete ${tag} --yes), then run this again.`,
    );
  }

  const dir = mkdtempSync(join(tmpdir(), 'release-notes-'));
  try {
    const notesFile = join(dir, 'notes.md');
    writeFileSync(notesFile, `${notes}\n`);
    const verifyTag = tagged === undefined ? [] : ['--verify-tag'];
    run('gh', [
      'release',
      'create',
      tag,
      '--draft',
      '--title',
      tag,
      '--notes-file',
      notesFile,
      '--target',
      commit,
      ...verifyTag,
    ]);
    console.log(`Drafted ${tag} on ${commit}.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (draftOnly) {
    console.log(
      `Not published: on the release page, edit the draft ${tag}, tick "Publish this Action to the GitHub ` +
        `Marketplace" and publish it; the workflow then moves ${major}.`,
    );
    return;
  }
  run('gh', ['release', 'edit', tag, '--draft=false']);
  console.log(`Published ${tag}.`);
  moveMajor(major, commit, tag);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    release(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    console.error(`Not released. ${error.message}`);
    process.exitCode = 1;
  }
}
