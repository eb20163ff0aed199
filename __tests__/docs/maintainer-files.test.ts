// The files GitHub reads for maintainers and contributors: CODEOWNERS, the issue forms and the
// pull-request template ask for what a report or a change needs, in the project's own terms.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { ROOT, codeBlocks, read, section } from './markdown.js';

interface FormField {
  readonly type: string;
  readonly id?: string;
  readonly attributes?: { label?: string; description?: string; value?: string; options?: string[] };
  readonly validations?: { required?: boolean };
}
interface IssueForm {
  readonly name: string;
  readonly description: string;
  readonly body: readonly FormField[];
}

const form = (name: string): IssueForm => parse(read(`.github/ISSUE_TEMPLATE/${name}.yml`)) as IssueForm;
const field = (issueForm: IssueForm, id: string): FormField | undefined => issueForm.body.find((f) => f.id === id);
const text = (f: FormField | undefined): string => `${f?.attributes?.label ?? ''} ${f?.attributes?.description ?? ''}`;

describe('CODEOWNERS', () => {
  it('names owners for every file, with the same OWNER placeholder as the README', () => {
    const rules = read('.github/CODEOWNERS')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(rules).toEqual(['* @OWNER/apprunner-connection-action-maintainers']);
    expect(read('README.md')).toContain('OWNER/apprunner-connection-action@v1');
  });
});

describe('the issue forms', () => {
  it.each(['bug_report', 'feature_request'])('%s has a name, a description and fields with unique ids', (name) => {
    const issueForm = form(name);
    expect(issueForm.name).toMatch(/\w{3}/);
    expect(issueForm.description).toMatch(/\w{3}/);
    const ids = issueForm.body.filter((f) => f.type !== 'markdown').map((f) => f.id);
    expect(ids.length).toBeGreaterThan(1);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of issueForm.body)
      expect(['markdown', 'input', 'textarea', 'dropdown', 'checkboxes']).toContain(f.type);
  });

  it('ask for a bug what is needed to reproduce it, each required but the summary', () => {
    const bug = form('bug_report');
    const asked = {
      version: /version or commit SHA/,
      'runner-type': /Runner type/,
      'runner-version': /Runner version/,
      region: /Region/,
      'debug-log': /ACTIONS_STEP_DEBUG/,
      'job-summary': /job summary/,
    };
    for (const [id, words] of Object.entries(asked)) {
      expect(text(field(bug, id)), id).toMatch(words);
      expect(field(bug, id)?.validations?.required ?? false, id).toBe(id !== 'job-summary');
    }
    expect(field(bug, 'runner-type')?.attributes?.options).toEqual(
      expect.arrayContaining(['GitHub-hosted, Ubuntu', 'Self-hosted']),
    );
  });

  it('send vulnerabilities to the security policy, not to an issue', () => {
    const config = parse(read('.github/ISSUE_TEMPLATE/config.yml')) as {
      contact_links: { name: string; url: string; about: string }[];
    };
    const [security] = config.contact_links;
    expect(security?.url).toBe('https://github.com/OWNER/apprunner-connection-action/security/policy');
    expect(security?.about).toContain('SECURITY.md');
    expect(form('bug_report').body[0]?.attributes?.value).toContain('SECURITY.md');
    expect(existsSync(join(ROOT, 'SECURITY.md'))).toBe(true);
  });
});

describe('the pull-request template', () => {
  const template = read('.github/pull_request_template.md');

  it("names the README's test command and the dist/ rule", () => {
    const [command] = codeBlocks(section(read('README.md'), 'Contributing'))[0]?.text.match(/^npm test\b/m) ?? [];
    expect(command).toBe('npm test');
    expect(template).toContain('`npm test`');
    expect(template).toContain('`npm run bundle`');
    expect(template).toMatch(/committed `dist\/`/);
  });

  it('asks for the CHANGELOG line of a change users can see', () => {
    expect(template).toContain('`CHANGELOG.md`');
    expect(read('RELEASING.md')).toContain('## Changes users can see');
  });
});
