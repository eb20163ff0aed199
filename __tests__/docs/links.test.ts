// Every relative link of the README, the guides, CONTRIBUTING.md and RELEASING.md leads somewhere:
// the file exists, and an anchor names a heading of it, by GitHub's rules for anchors.

import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

import { describe, expect, it } from 'vitest';

import { LINKED_DOCUMENTS, ROOT, headings, links, read, slug } from './markdown.js';

// The headings of aws-actions/configure-aws-credentials' README at v6.2.3, as GitHub anchors
// them, read from the repository when these docs were written: the docs link to some of them.
const CONFIGURE_AWS_CREDENTIALS_README = 'https://github.com/aws-actions/configure-aws-credentials';
const CONFIGURE_AWS_CREDENTIALS_ANCHORS = new Set([
  'quick-start-oidc-recommended',
  'security-recommendations',
  'use-an-http-proxy',
  'mask-account-id',
  'custom-sts-endpoint',
  'oidc-configuration-details',
  'oidc-audience',
  'configuring-iam-to-trust-github',
  'claims-and-scoping-permissions',
  'immutable-subject-claims',
  'inspecting-the-token',
]);

const isExternal = (target: string): boolean => /^[a-z][a-z+.-]*:/i.test(target);

describe('GitHub anchors', () => {
  it('are lower case, spaces as hyphens, punctuation dropped, code kept as text, repeats numbered', () => {
    expect(slug('Public repositories: hiding the account ID')).toBe('public-repositories-hiding-the-account-id');
    expect(slug("The preview example's service steps")).toBe('the-preview-examples-service-steps');
    expect(slug('The dist/ discipline')).toBe('the-dist-discipline');
    expect(slug('`AWS_MAX_ATTEMPTS`')).toBe('aws_max_attempts');
    expect(slug('Quick Start (OIDC, recommended)')).toBe('quick-start-oidc-recommended');
    expect(headings('# A\n## A\n```\n# not a heading\n```\n### A\n').map((heading) => heading.anchor)).toEqual([
      'a',
      'a-1',
      'a-2',
    ]);
  });
});

describe.each(LINKED_DOCUMENTS)('the links of %s', (document) => {
  const found = links(read(document));

  it('are there', () => {
    expect(found.length).toBeGreaterThan(0);
  });

  it('lead to files and folders of the repository, and to headings that exist', () => {
    for (const { target } of found.filter((link) => !isExternal(link.target))) {
      const [path = '', anchor] = target.split('#');
      const file = path === '' ? document : normalize(join(dirname(document), path));
      expect(existsSync(join(ROOT, file)), `${target} in ${document}: ${file} does not exist`).toBe(true);
      if (anchor === undefined) continue;
      expect(file.endsWith('.md') && statSync(join(ROOT, file)).isFile(), `${target}: an anchor into ${file}`).toBe(
        true,
      );
      const anchors = headings(read(file)).map((heading) => heading.anchor);
      expect(anchors, `${target} in ${document}`).toContain(anchor);
    }
  });

  it("lead to headings of configure-aws-credentials' README that exist", () => {
    for (const { target } of found.filter((link) => link.target.startsWith(`${CONFIGURE_AWS_CREDENTIALS_README}#`))) {
      expect(CONFIGURE_AWS_CREDENTIALS_ANCHORS, target).toContain(target.split('#')[1]);
    }
  });
});
