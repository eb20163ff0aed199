// The project's one version, as package.json, src/version.ts and CHANGELOG.md state it, and the rules
// that keep them one: read by the docs tests and by scripts/release.js.
//
// CHANGELOG.md follows Keep a Changelog: `## [Unreleased]`, then `## [1.2.3] - YYYY-MM-DD` per release,
// newest first, each with `### Added` / `### Changed` / ... lists. Under `[Unreleased]` only an
// `### Internal` list may stand (changes no user of the action can see); anything else there is code on
// main that no release describes.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSION_HEADING = /^## \[(\d+\.\d+\.\d+)\](?: - (.*?))?\s*$/;
const UNRELEASED_HEADING = /^## \[Unreleased\]\s*$/i;
const LINK_DEFINITION = /^\[[^\]]+\]:\s/;
const NOT_USER_FACING = 'Internal';

/**
 * @typedef {{ version: string, date: string | undefined, notes: string }} Release
 * @typedef {{ unreleased: string | undefined, releases: Release[] }} Changelog
 */

/**
 * The `[Unreleased]` section and the releases of a changelog, newest first, each with its notes: the
 * text under its heading, without the link definitions at the end of the file.
 * @param {string} text
 * @returns {Changelog}
 */
export function parseChangelog(text) {
  /** @type {{ heading: string, lines: string[] }[]} */
  const sections = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('## ')) sections.push({ heading: line, lines: [] });
    else if (!LINK_DEFINITION.test(line)) sections.at(-1)?.lines.push(line);
  }
  const body = (/** @type {string[]} */ lines) => lines.join('\n').trim();
  /** @type {Release[]} */
  const releases = [];
  let unreleased;
  for (const { heading, lines } of sections) {
    if (UNRELEASED_HEADING.test(heading)) unreleased = body(lines);
    const match = VERSION_HEADING.exec(heading);
    if (match) releases.push({ version: match[1] ?? '', date: match[2], notes: body(lines) });
  }
  return { unreleased, releases };
}

/**
 * The list items of the `[Unreleased]` section that users can see: all but those of `### Internal`.
 * @param {string | undefined} unreleased
 * @returns {string[]} each item's first line
 */
export function userFacingUnreleased(unreleased) {
  const items = [];
  let subsection = '';
  for (const line of (unreleased ?? '').split('\n')) {
    const heading = /^###\s+(.*?)\s*$/.exec(line);
    if (heading) subsection = heading[1] ?? '';
    else if (/^[-*] /.test(line) && subsection !== NOT_USER_FACING) items.push(line.slice(2));
  }
  return items;
}

/**
 * What makes the three statements of the version disagree, one sentence each; empty when they agree
 * and nothing users can see waits under `[Unreleased]`.
 * @param {{ packageVersion: string, sourceVersion: string | undefined, changelog: string }} versions
 * @returns {string[]}
 */
export function versionProblems({ packageVersion, sourceVersion, changelog }) {
  const problems = [];
  const { unreleased, releases } = parseChangelog(changelog);
  if (sourceVersion !== packageVersion) {
    problems.push(`package.json says ${packageVersion}, src/version.ts says ${sourceVersion ?? 'nothing'}.`);
  }
  const [newest] = releases;
  if (newest === undefined) {
    problems.push('CHANGELOG.md has no release heading (## [1.2.3] - YYYY-MM-DD).');
  } else {
    if (newest.version !== packageVersion) {
      problems.push(`The newest release in CHANGELOG.md is ${newest.version}, package.json says ${packageVersion}.`);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(newest.date ?? '')) {
      problems.push(`CHANGELOG.md's heading of ${newest.version} has no date (## [${newest.version}] - YYYY-MM-DD).`);
    }
  }
  if (unreleased === undefined) problems.push('CHANGELOG.md has no [Unreleased] section.');
  const waiting = userFacingUnreleased(unreleased);
  if (waiting.length > 0) {
    problems.push(
      `CHANGELOG.md lists ${waiting.length} change${waiting.length === 1 ? '' : 's'} users can see under ` +
        `[Unreleased] (the first: "${waiting[0]}"): release them under a version (RELEASING.md).`,
    );
  }
  return problems;
}

/**
 * The version as package.json, src/version.ts and CHANGELOG.md of a checkout state it.
 * @param {string} root
 * @returns {{ packageVersion: string, sourceVersion: string | undefined, changelog: string }}
 */
export function readVersions(root) {
  const read = (/** @type {string} */ path) => readFileSync(join(root, path), 'utf8');
  const packageVersion = String(JSON.parse(read('package.json')).version);
  const sourceVersion = /\bACTION_VERSION\s*=\s*'([^']*)'/.exec(read('src/version.ts'))?.[1];
  return { packageVersion, sourceVersion, changelog: read('CHANGELOG.md') };
}
