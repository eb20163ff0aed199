// The workflow linter: a current actionlint over every workflow and every YAML block a user copies,
// run by `npm run lint:workflows` (part of `npm test`) through scripts/lint-workflows.js.

import { describe, expect, it } from 'vitest';

import {
  type Finding,
  actionlintVersion,
  asWorkflow,
  formatFinding,
  lintWorkflows,
  workflowTargets,
} from '../../scripts/lint-workflows.js';
import { USER_DOCUMENTS, codeBlocks, filesIn, read } from './markdown.js';

const lint = async (workflow: string): Promise<Finding[]> => lintWorkflows([{ where: 'test.yml', workflow }]);
const job = (lines: string): string => `on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n${lines}`;

describe('the workflow linter', () => {
  const targets = workflowTargets();

  it('is actionlint 1.7 or later', () => {
    const [major = 0, minor = 0] = actionlintVersion().split('.').map(Number);
    expect(major * 1000 + minor, actionlintVersion()).toBeGreaterThanOrEqual(1007);
  });

  it("checks the project's workflows, the examples and every YAML block of the README and the guides", () => {
    const files = [...filesIn('.github/workflows', /\.ya?ml$/), ...filesIn('examples', /\.ya?ml$/)];
    expect(targets.filter((target) => !target.source.endsWith('.md')).map((target) => target.where)).toEqual(files);
    // The same blocks as the docs tests' own Markdown reader finds, so none escapes.
    const blocks = USER_DOCUMENTS.flatMap((path) =>
      codeBlocks(read(path))
        .filter((block) => block.language === 'yaml')
        .map((block) => `${path}:${block.line}`),
    );
    expect(blocks.length).toBeGreaterThan(10);
    expect(targets.filter((target) => target.source.endsWith('.md')).map((target) => target.where)).toEqual(blocks);
  });

  it('finds nothing wrong in any of them', async () => {
    const findings = await lintWorkflows(targets);
    expect(findings.map(formatFinding)).toEqual([]);
  });

  it('finds an if condition that is always true, which actionlint 1.6 let pass', async () => {
    const findings = await lint(job('    if: ${{ github.event.action }} == closed\n    steps:\n      - run: echo\n'));
    expect(findings.map((finding) => finding.kind)).toEqual(['if-cond']);
    expect(findings[0]?.message).toContain('always evaluated to true');
  });

  it('finds a reference to a step that does not exist', async () => {
    const findings = await lint(job('    steps:\n      - run: echo ${{ steps.x.outputs.y }}\n'));
    expect(findings.map((finding) => finding.kind)).toEqual(['expression']);
  });

  it("checks a step list or this action's inputs inside a one-job workflow, and refuses any other block", () => {
    const inputs = new Set(['connection-name', 'dry-run']);
    expect(asWorkflow('- run: echo\n', inputs).wrapped).toBe(true);
    expect(asWorkflow('dry-run: true\n', inputs).workflow).toContain('uses: OWNER/apprunner-connection-action@v1');
    expect(asWorkflow(job('    steps:\n      - run: echo\n'), inputs)).toEqual({
      workflow: job('    steps:\n      - run: echo\n'),
      wrapped: false,
    });
    expect(() => asWorkflow('name: not a step\n', inputs)).toThrow(/neither a workflow/);
  });

  it('runs in npm test', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(scripts['lint:workflows']).toBe('node scripts/lint-workflows.js');
    expect(scripts['test']).toBe('node scripts/test.js');
    expect(read('scripts/test.js')).toMatch(/CHECKS = \[[^\]]*'lint:workflows'/);
  });
});
