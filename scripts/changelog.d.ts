// Types of scripts/changelog.js, for the docs tests.

export interface Release {
  version: string;
  /** What follows ` - ` in the heading: YYYY-MM-DD for a release. */
  date: string | undefined;
  /** The section's text, trimmed, without the link definitions at the end of the file. */
  notes: string;
}

export interface Changelog {
  /** The text of the [Unreleased] section, trimmed; undefined without one. */
  unreleased: string | undefined;
  /** Newest first, as the file lists them. */
  releases: Release[];
}

export interface Versions {
  packageVersion: string;
  sourceVersion: string | undefined;
  changelog: string;
}

export function parseChangelog(text: string): Changelog;

/** The first line of each list item under [Unreleased] but those under `### Internal`. */
export function userFacingUnreleased(unreleased: string | undefined): string[];

/** One sentence per disagreement; empty when the versions agree and nothing users can see is unreleased. */
export function versionProblems(versions: Versions): string[];

/** The versions stated by package.json, src/version.ts and CHANGELOG.md under `root`. */
export function readVersions(root: string): Versions;
