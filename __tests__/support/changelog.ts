// A CHANGELOG.md for the release specs: [Unreleased], the newest release with two sections of notes, 1.0.0, and the
// link definitions, in the shape scripts/changelog.js reads.

export const changelog = ({ unreleased = '### Internal\n\n- A test.\n', newest = '1.1.0', date = '2026-12-07' } = {}) =>
  `# Changelog

## [Unreleased]

${unreleased}
## [${newest}] - ${date}

### Added

- \`mask-aws-account-id\`.

### Fixed

- A wait checks once more at its end.

## [1.0.0] - 2026-11-25

### Added

- The first release.

[Unreleased]: https://github.com/OWNER/apprunner-connection-action/compare/v${newest}...HEAD
[1.0.0]: https://github.com/OWNER/apprunner-connection-action/releases/tag/v1.0.0
`;
