// Every workflow the docs give works as copied: the examples (each shown verbatim in a guide), every YAML block of the
// README and the guides, and the project's own workflows, held to action.yml, to the IAM guide and to
// the rules a copied workflow must keep (permissions, pins, fork guards).

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { USER_DOCUMENTS, codeBlocks, filesIn, links, read, section } from './markdown.js';

type Yaml = Record<string, unknown>;
const isObject = (value: unknown): value is Yaml =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (value: unknown, ...path: string[]): Yaml => {
  const found = path.reduce((current, key) => (isObject(current) ? current[key] : undefined), value);
  return isObject(found) ? found : {};
};
const stepsOf = (job: unknown): Yaml[] => [objectAt(job)['steps']].flat().filter(isObject);
const jobsOf = (workflow: unknown): [string, Yaml][] =>
  Object.entries(objectAt(workflow, 'jobs')).map(([id, job]) => [id, objectAt(job)]);
/** Every mapping anywhere in a parsed document that has `key`. */
const holding = (node: unknown, key: string): Yaml[] => {
  const children: unknown[] = Array.isArray(node) ? node : isObject(node) ? Object.values(node) : [];
  return [...(isObject(node) && key in node ? [node] : []), ...children.flatMap((child) => holding(child, key))];
};
const usesOf = (node: unknown): string[] => holding(node, 'uses').map((step) => String(step['uses']));

const THIS_ACTION = /^(?:(?:your-org|OWNER)\/apprunner-connection-action@.+|\.\/?)$/;
const ORG_WORKFLOW = 'your-org/platform-workflows/.github/workflows/apprunner-connection.yml@v1';
const CREDENTIALS = 'aws-actions/configure-aws-credentials';
const CREDENTIALS_MAJOR = 'v6'; // Its current major (v6.2.3 declares node24; v4 and v5 declare node20).
const isThisAction = (step: unknown): boolean => THIS_ACTION.test(String(objectAt(step)['uses']));
const actionSteps = (node: unknown): Yaml[] => holding(node, 'uses').filter(isThisAction);
const assumesRole = (step: Yaml): boolean =>
  String(step['uses']).startsWith(`${CREDENTIALS}@`) && 'role-to-assume' in objectAt(step, 'with');
const permissionsOf = (workflow: unknown, job: Yaml): Yaml =>
  'permissions' in job ? objectAt(job, 'permissions') : objectAt(workflow, 'permissions');
const withOf = (step: unknown): Yaml => objectAt(step, 'with');

const inputs = objectAt(parse(read('action.yml')), 'inputs');
const outputs = Object.keys(objectAt(parse(read('action.yml')), 'outputs'));

type Document = { readonly where: string; readonly text: string; readonly parsed: unknown };
const documentsOf = (paths: string[]): Document[] =>
  paths.map((path) => ({ where: path, text: read(path), parsed: parse(read(path)) as unknown }));
const examples = documentsOf(filesIn('examples', /\.ya?ml$/));
const projectWorkflows = documentsOf(filesIn('.github/workflows', /\.ya?ml$/));
const blocks: Document[] = USER_DOCUMENTS.flatMap((path) =>
  codeBlocks(read(path))
    .filter((block) => block.language === 'yaml')
    .map((block) => ({ where: `${path}:${block.line}`, text: block.text, parsed: parse(block.text) as unknown })),
);
const isWorkflow = (parsed: unknown): boolean => 'jobs' in objectAt(parsed);
const example = (name: string): unknown => examples.find(({ where }) => where === `examples/${name}`)?.parsed;
const everyDocument = [...examples, ...projectWorkflows, ...blocks];
const exampleJobs = examples.flatMap(({ where, parsed }) =>
  jobsOf(parsed).map(([id, job]) => ({ where: `${where}: job ${id}`, id, job, workflow: parsed })),
);

describe('the example workflows', () => {
  it("begin with the README's: in its first 60 lines, OIDC credentials, the action, then a step that uses the ARN", () => {
    const workflows = codeBlocks(read('README.md').split('\n').slice(0, 60).join('\n')).map(({ text }) => parse(text));
    expect(workflows.filter(isWorkflow)).toHaveLength(1);
    const [[, job = {}] = [], ...others] = jobsOf(workflows.find(isWorkflow));
    expect(others).toEqual([]);
    const usesArn = (step: Yaml) => JSON.stringify(step).includes('.outputs.connection-arn');
    const order = [assumesRole, isThisAction, usesArn].map((test) => stepsOf(job).findIndex(test));
    expect(order.every((at, index) => at > (order[index - 1] ?? -1))).toBe(true);
    expect(permissionsOf(workflows.find(isWorkflow), job)['id-token']).toBe('write');
  });

  it('are the four the guides show verbatim, and every complete workflow of the docs is one of them', () => {
    const names = examples.map(({ where }) => where.replace('examples/', '')).join(' ');
    expect(names).toBe('caller.yml preview-environment.yml reusable-workflow.yml single-job.yml');
    const [shown, files] = [blocks.map(({ text }) => text), examples.map(({ text }) => text)];
    for (const { where, text } of examples) expect(shown, where).toContain(text);
    for (const { where, text, parsed } of blocks) if (isWorkflow(parsed)) expect(files, where).toContain(text);
  });

  it(`use ${CREDENTIALS}@${CREDENTIALS_MAJOR}, and actions/* at the majors this repository's workflows pin`, () => {
    const pinned = projectWorkflows.map(({ text }) => text).join('\n');
    const majors = new Map([[CREDENTIALS, CREDENTIALS_MAJOR]]);
    for (const [, name = '', major = ''] of pinned.matchAll(/uses:\s*(actions\/[\w.-]+)@\w{40}\s*#\s*(v\d+)/g)) {
      majors.set(name, major);
    }
    expect(majors.get('actions/checkout')).toBe('v7');
    const refs = [...examples, ...blocks].flatMap(({ parsed }) => usesOf(parsed));
    const others = refs.filter((ref) => !THIS_ACTION.test(ref) && ref !== ORG_WORKFLOW);
    expect(others.length).toBeGreaterThan(4);
    for (const ref of others) expect(ref).toBe(`${ref.split('@')[0]}@${majors.get(ref.split('@')[0] ?? '')}`);
  });

  it('declare permissions at the top; id-token: write where a job needs a token; pull-requests: write only where a job comments', () => {
    for (const { where, parsed } of examples) {
      expect(objectAt(parsed)['permissions'], where).toBeDefined();
      expect(objectAt(parsed, 'permissions')['pull-requests'], where).toBeUndefined();
    }
    const tokens = exampleJobs.filter(({ job }) => stepsOf(job).some(assumesRole) || job['uses'] === ORG_WORKFLOW);
    expect(tokens.length).toBeGreaterThanOrEqual(6);
    for (const { where, job, workflow } of tokens)
      expect(permissionsOf(workflow, job)['id-token'], where).toBe('write');
    for (const { where, job, workflow } of exampleJobs) {
      const comments = actionSteps(job).some((step) => withOf(step)['comment-on-pr'] === true);
      const writes = permissionsOf(workflow, job)['pull-requests'] === 'write';
      expect(writes, `${where} comments: ${comments}`).toBe(comments);
    }
  });

  it('skip forks and Dependabot in pull-request jobs that need secrets, since neither gets them', () => {
    const onPullRequests = exampleJobs.filter(({ workflow }) => 'pull_request' in objectAt(workflow, 'on'));
    const jobs = onPullRequests.filter(({ job }) => JSON.stringify(job).includes('secrets.'));
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    for (const { where, job } of jobs) {
      expect(String(job['if']), where).toContain("github.actor != 'dependabot[bot]'");
      expect(String(job['if']), where).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    }
  });

  it('write every if: as one expression (text around ${{ }} makes a condition always true)', () => {
    const alwaysTrue = (condition: string) => condition.includes('${{') && !/^\s*\$\{\{[^}]*\}\}\s*$/.test(condition);
    expect(alwaysTrue("${{ github.event.action }} == 'closed'")).toBe(true);
    const conditions = everyDocument.flatMap(({ parsed }) => holding(parsed, 'if').map(({ if: test }) => String(test)));
    expect(conditions.length).toBeGreaterThanOrEqual(6);
    for (const condition of conditions) expect(alwaysTrue(condition), condition).toBe(false);
  });

  it('let the organization workflow own the connection name and tags, keep masking off, and return the name', () => {
    const reusable = example('reusable-workflow.yml');
    const call = objectAt(reusable, 'on', 'workflow_call');
    expect(Object.keys(objectAt(call, 'inputs')).join()).not.toMatch(/connection-name|tags/);
    for (const output of ['connection-arn', 'connection-name'])
      expect(objectAt(call, 'outputs')).toHaveProperty(output);
    const [step, ...more] = actionSteps(reusable);
    expect(more).toEqual([]);
    expect(String(withOf(step)['connection-name'])).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{3,31}$/);
    expect(String(withOf(step)['tags'])).not.toContain('${{');
    for (const masking of [step, ...holding(reusable, 'uses').filter(assumesRole)]) {
      expect(withOf(masking)['mask-aws-account-id'] ?? false).toBe(false);
    }
  });

  it('call the organization workflow with the inputs and secrets it declares, and read only its outputs', () => {
    const declared = (key: string, required = false) =>
      Object.entries(objectAt(example('reusable-workflow.yml'), 'on', 'workflow_call', key))
        .filter(([, spec]) => !required || objectAt(spec)['required'] === true)
        .map(([name]) => name);
    const callers = exampleJobs.filter(({ job }) => job['uses'] === ORG_WORKFLOW);
    expect(callers.map(({ where }) => where.slice(9, where.indexOf('.'))).join()).toBe('caller,preview-environment');
    for (const { where, id, job, workflow } of callers) {
      for (const [key, given] of Object.entries({ inputs: 'with', secrets: 'secrets' })) {
        const passed = Object.keys(objectAt(job, given));
        expect(declared(key), where).toEqual(expect.arrayContaining(passed));
        expect(passed, where).toEqual(expect.arrayContaining(declared(key, true)));
      }
      const reads = [...JSON.stringify(workflow).matchAll(new RegExp(`needs\\.${id}\\.outputs\\.([\\w-]+)`, 'g'))];
      expect(reads.length, where).toBeGreaterThan(0);
      expect(declared('outputs'), where).toEqual(expect.arrayContaining(reads.map(([, name]) => name)));
    }
  });

  it('stagger a scheduled run of the organization workflow per repository, and run one at a time per branch', () => {
    const steps = jobsOf(example('reusable-workflow.yml')).flatMap(([, job]) => stepsOf(job));
    const stagger = steps.findIndex((step) => step['if'] === "github.event_name == 'schedule'");
    expect(steps[stagger]?.['run']).toMatch(/^sleep \$\(\(GITHUB_REPOSITORY_ID % \d+\)\)$/);
    expect(stagger).toBeLessThan(steps.findIndex(isThisAction));
    expect(objectAt(example('caller.yml'), 'on')['schedule']).toBeDefined();
    expect(objectAt(example('caller.yml'), 'concurrency')['group']).toContain('${{ github.ref }}');
  });
});

describe('the preview example', () => {
  const preview = example('preview-environment.yml');
  const [, deploy = {}] = jobsOf(preview).find(([id]) => id === 'deploy') ?? [];
  const connection = stepsOf(deploy).findIndex(isThisAction);
  const service = stepsOf(deploy).findIndex((step) => String(step['run']).includes('create-service'));
  const script = String(stepsOf(deploy)[service]?.['run']);
  const at = (text: string): number => script.indexOf(text);

  it('takes the connection name from the organization workflow, and comments and waits before the service', () => {
    const [organization] = jobsOf(preview).find(([, job]) => job['uses'] === ORG_WORKFLOW) ?? [];
    expect(deploy['needs']).toBe(organization);
    expect(withOf(stepsOf(deploy)[connection])).toMatchObject({
      'connection-name': `\${{ needs.${organization}.outputs.connection-name }}`,
      'comment-on-pr': true,
      'wait-for-handshake': expect.stringMatching(/^[1-9]\d*[smh]?$/),
    });
    expect(service).toBeGreaterThan(connection);
    expect(Number(deploy['timeout-minutes'])).toBeGreaterThan(15 + 20);
  });

  it("names each service by repository and pull request, and the IAM guide's pattern matches that name alone", () => {
    const name = String(objectAt(preview, 'env')['SERVICE_NAME']);
    expect(name).toBe('preview-${{ github.event.repository.id }}-${{ github.event.pull_request.number }}');
    const [policy] = policiesUnder("The preview example's service steps");
    const resources = policy?.Statement.map(({ Resource }) => Resource);
    expect(resources).toContain('arn:aws:apprunner:*:123456789012:service/preview-789012-*');
    expect(iam).toContain('your-repo@789012'); // the repository id of the guide's trust policies
  });

  it('waits for the operation this run started, not for a status from before it, and only then publishes the URL', () => {
    expect(script).toContain('AutoDeploymentsEnabled: false');
    expect(script).toMatch(/create-service [\s\S]*OperationId[\s\S]*read -r service_arn operation/);
    expect(script).toMatch(/operation=\$\(aws apprunner start-deployment .*--query OperationId/);
    expect(at("OperationSummaryList[?Id=='${operation}']")).toBeGreaterThan(Math.max(at('create-'), at('start-')));
    for (const check of ['!= SUCCEEDED', '!= RUNNING']) {
      expect(at(check), check).toBeGreaterThan(at('list-operations'));
      expect(at('GITHUB_STEP_SUMMARY'), check).toBeGreaterThan(at(check));
    }
  });

  it('deletes a service whose creation failed and creates it again', () => {
    expect(at('= CREATE_FAILED')).toBeGreaterThan(0);
    expect(at('delete-service')).toBeGreaterThan(at('= CREATE_FAILED'));
    expect(at('create-service')).toBeGreaterThan(at('delete-service'));
  });
});

describe('every use of the action', () => {
  const uses = everyDocument.flatMap(({ where, parsed }) => actionSteps(parsed).map((step) => ({ where, step })));

  it('appears in every example but the caller, twice in the end-to-end workflow, and in the snippets', () => {
    const count = (where: string) => uses.filter((use) => use.where === where).length;
    for (const { where } of examples) expect(count(where), where).toBe(where === 'examples/caller.yml' ? 0 : 1);
    expect(count('.github/workflows/e2e.yml')).toBe(2);
    expect(uses.length).toBeGreaterThanOrEqual(14);
  });

  it('passes only declared inputs and always the required ones, and reads only declared outputs', () => {
    const required = Object.keys(inputs).filter((name) => objectAt(inputs, name)['required'] === true);
    for (const { where, step } of uses) {
      expect(Object.keys(inputs), where).toEqual(expect.arrayContaining(Object.keys(withOf(step))));
      expect(Object.keys(withOf(step)), where).toEqual(expect.arrayContaining(required));
    }
    const reads = everyDocument.flatMap(({ where, parsed }) =>
      jobsOf(parsed).flatMap(([, job]) => {
        const ids = actionSteps(stepsOf(job)).map((step) => String(step['id']));
        const references = [...JSON.stringify(job).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)];
        return references.filter(([, id = '']) => ids.includes(id)).map(([, , output = '']) => ({ where, output }));
      }),
    );
    expect(reads.length).toBeGreaterThanOrEqual(6);
    for (const { where, output } of reads) expect(outputs, where).toContain(output);
  });

  it('names the action by its published name at v1 (or a commit SHA), and ./ only in this repository', () => {
    const text = USER_DOCUMENTS.map(read).join('\n');
    const named = [...text.matchAll(/[\w.-]+\/apprunner-connection-action@[\w.-]+/g)];
    expect(named.length).toBeGreaterThan(10);
    for (const [ref] of named) expect(ref).toMatch(/^(?:your-org|OWNER)\/apprunner-connection-action@(?:v1|\w{40})$/);
    for (const { where, text } of examples) expect(text, where).not.toMatch(/uses:\s*\.\//);
  });
});

type Condition = Record<string, Record<string, string | string[]>>;
type Statement = {
  Action: string | string[];
  Resource?: string;
  Principal?: { Federated?: string };
  Condition?: Condition;
};
type Policy = { Statement: Statement[] };
const iam = read('docs/iam.md');
const policiesUnder = (heading: string): Policy[] =>
  codeBlocks(section(iam, heading)).flatMap(({ language, text }) => (language === 'json' ? [JSON.parse(text)] : []));
const actionsOf = (policy: Policy | undefined): Set<string> =>
  new Set((policy?.Statement ?? []).flatMap((statement) => statement.Action));
const OIDC = 'token.actions.githubusercontent.com';
const conditionValues = (policy: Policy | undefined, claim: string): string[] =>
  (policy?.Statement ?? [])
    .flatMap(({ Condition = {} }) => Object.values(Condition))
    .flatMap((test) => test[`${OIDC}:${claim}`] ?? []);

describe('the IAM guide', () => {
  it('grants the action exactly the App Runner calls src/ makes, a dry run only List calls', () => {
    // Six policies, each parsed by one of these tests: the action's, the dry run's, the preview's, three trust policies.
    expect(codeBlocks(iam).filter((block) => block.language === 'json')).toHaveLength(6);
    const calls = [...read('src/aws-client.ts').matchAll(/new (\w+)Command\(|paginate(\w+)\(/g)];
    const called = new Set(calls.map(([, command, paginated]) => `apprunner:${command ?? paginated}`));
    expect(called.size).toBe(4);
    expect(actionsOf(policiesUnder('The policy for the action')[0])).toEqual(called);
    expect([...actionsOf(policiesUnder('A dry run')[0])].every((name) => name.startsWith('apprunner:List'))).toBe(true);
  });

  it('lets the action create and tag only the connection name the organization workflow uses', () => {
    const [policy] = policiesUnder('The policy for the action');
    const creating = policy?.Statement.find(({ Action }) => Action.includes('apprunner:CreateConnection'));
    const name = withOf(actionSteps(example('reusable-workflow.yml'))[0])['connection-name'];
    expect(creating?.Resource).toBe(`arn:aws:apprunner:*:123456789012:connection/${String(name)}/*`);
  });

  it("grants the preview example's service steps every App Runner call they make", () => {
    const commands = read('examples/preview-environment.yml').match(/(?<=aws apprunner )[a-z-]+/g) ?? [];
    const pascal = (command: string) => command.replace(/(?:^|-)(\w)/g, (_, first: string) => first.toUpperCase());
    const actions = new Set(commands.map((command) => `apprunner:${pascal(command)}`));
    const expected = 'ListServices CreateService StartDeployment ListOperations DescribeService DeleteService';
    expect(actions).toEqual(new Set(expected.split(' ').map((name) => `apprunner:${name}`)));
    expect(actionsOf(policiesUnder("The preview example's service steps")[0])).toEqual(actions);
  });

  it('gives trust policies for the OIDC provider, each with the audience and a subject', () => {
    const trust = policiesUnder('Trust policies');
    expect(trust).toHaveLength(3);
    for (const statement of trust.flatMap((policy) => policy.Statement)) {
      expect(statement.Principal?.Federated).toMatch(new RegExp(`:oidc-provider/${OIDC}$`));
      expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
    }
    for (const policy of trust) expect(conditionValues(policy, 'aud')).toEqual(['sts.amazonaws.com']);
    for (const policy of trust) expect(conditionValues(policy, 'sub').length).toBeGreaterThan(0);
  });

  it('trusts one repository, and its pull requests, in both forms of sub', () => {
    const branch = conditionValues(policiesUnder('One repository')[0], 'sub');
    expect(branch).toContain('repo:your-org/your-repo:ref:refs/heads/main');
    expect(branch.some((sub) => /^repo:your-org@\d+\/your-repo@\d+:ref:refs\/heads\/main$/.test(sub))).toBe(true);
    const pullRequests = conditionValues(policiesUnder('Pull requests')[0], 'sub');
    expect(pullRequests).toHaveLength(2);
    for (const sub of pullRequests) expect(sub).toMatch(/^repo:your-org(@\d+)?\/your-repo(@\d+)?:pull_request$/);
  });

  it('trusts the organization workflow by job_workflow_ref, and the organization in both forms', () => {
    const [policy] = policiesUnder('A central reusable workflow');
    expect(conditionValues(policy, 'job_workflow_ref')).toEqual([ORG_WORKFLOW.replace('@', '@refs/tags/')]);
    expect(conditionValues(policy, 'sub')).toContain('repo:your-org/*');
    expect(conditionValues(policy, 'sub').some((sub) => /^repo:your-org@\d+\/\*$/.test(sub))).toBe(true);
  });
});

// A third-party action is pinned the way Dependabot keeps pins current: the full commit SHA, then the release it is
// as a comment (`uses: actions/checkout@<40 hex> # v7.0.1`). A tag can be moved; a SHA cannot.
const PINNED = /^([\w.-]+\/[\w.-]+)(?:\/[\w./-]+)?@[0-9a-f]{40}$/;
/** The `uses:` lines of a workflow's text, with the comment that follows the reference. */
const usesLines = (text: string) =>
  [...text.matchAll(/^[ \t]*(?:-[ \t]+)?uses:[ \t]*(\S+)[ \t]*(?:#[ \t]*(.*?))?[ \t]*$/gm)]
    .map(([, ref = '', comment]) => ({ ref, comment }))
    .filter(({ ref }) => !ref.startsWith('./'));

describe("the project's workflows", () => {
  const workflow = (name: string): unknown => projectWorkflows.find(({ where }) => where.endsWith(`/${name}`))?.parsed;

  it('are the five CONTRIBUTING.md describes and links', () => {
    const names = projectWorkflows.map(({ where }) => where.replace('.github/workflows/', ''));
    expect(names).toEqual(['check-dist.yml', 'ci.yml', 'codeql.yml', 'e2e.yml', 'release.yml']);
    const targets = links(read('CONTRIBUTING.md')).map((link) => link.target);
    for (const { where } of projectWorkflows) expect(targets).toContain(where);
  });

  it('pin every third-party action by full commit SHA with its version as a comment, one pin per repository', () => {
    // Every `uses` the runner sees is on a line of that form, so none escapes this check.
    for (const { text, parsed } of projectWorkflows) {
      const seen = usesOf(parsed).filter((ref) => !ref.startsWith('./'));
      expect(usesLines(text).map(({ ref }) => ref)).toEqual(seen);
    }
    const pins = new Map<string, Set<string>>();
    for (const { ref, comment } of projectWorkflows.flatMap(({ text }) => usesLines(text))) {
      expect(ref).toMatch(PINNED);
      expect(comment, ref).toMatch(/^v\d+(?:\.\d+){0,2}$/);
      const repository = PINNED.exec(ref)?.[1] ?? ref;
      pins.set(repository, (pins.get(repository) ?? new Set()).add(`${ref.split('@')[1]} # ${comment}`));
    }
    const repositories = ['actions/checkout', 'actions/setup-node', 'actions/upload-artifact', 'github/codeql-action'];
    expect([...pins.keys()].sort()).toEqual(repositories);
    for (const [repository, seen] of pins) expect([...seen], repository).toHaveLength(1);
  });

  it('read at the top, write only what CodeQL uploads or a release needs, and keep no token in .git/config', () => {
    const writes = (grants: Yaml) => Object.keys(grants).filter((scope) => !/^(read|none)$/.test(`${grants[scope]}`));
    for (const { where, parsed } of projectWorkflows) {
      expect(isObject(objectAt(parsed)['permissions']), where).toBe(true);
      expect(writes(objectAt(parsed, 'permissions')), where).toEqual([]);
      const allowed = where.endsWith('codeql.yml')
        ? ['security-events']
        : where.endsWith('release.yml')
          ? ['contents']
          : [];
      for (const [id, job] of jobsOf(parsed)) expect(writes(objectAt(job, 'permissions')), id).toEqual(allowed);
      const checkouts = holding(parsed, 'uses').filter((step) => String(step['uses']).startsWith('actions/checkout@'));
      const persisted = checkouts.map((step) => withOf(step)['persist-credentials']);
      expect(persisted, where).toEqual([false]);
    }
  });

  it('scan the code and the workflows with CodeQL on pull requests, on main and weekly', () => {
    const on = objectAt(workflow('codeql.yml'), 'on');
    expect(Object.keys(on).sort()).toEqual(['pull_request', 'push', 'schedule']);
    expect(objectAt(on, 'push')['branches']).toEqual(['main']);
    expect(on['schedule']).toHaveLength(1);
    const [[, job = {}] = []] = jobsOf(workflow('codeql.yml'));
    expect(objectAt(job, 'strategy', 'matrix')['language']).toEqual(['actions', 'javascript-typescript']);
    const codeql = (name: string) => stepsOf(job).find(({ uses }) => String(uses).includes(`codeql-action/${name}@`));
    expect(withOf(codeql('init'))).toMatchObject({ languages: '${{ matrix.language }}', 'build-mode': 'none' });
    expect(codeql('analyze')).toBeDefined();
  });

  it('run the end-to-end job on Ubuntu, Windows and macOS, every script in bash', () => {
    const [[, job = {}] = [], ...others] = jobsOf(workflow('e2e.yml'));
    expect(others).toEqual([]);
    expect(objectAt(job, 'strategy', 'matrix')['os']).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    // Windows runs `run:` in PowerShell unless told otherwise, and these scripts are bash.
    const scripts = stepsOf(job).filter((step) => 'run' in step);
    expect(scripts.length).toBeGreaterThan(0);
    for (const step of scripts) expect(step['shell'] ?? objectAt(job, 'defaults', 'run')['shell']).toBe('bash');
  });
});
