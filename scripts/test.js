// `npm test`: the static checks (types, lint and formatting, workflows) run beside the test suite,
// whose longest files mostly wait out real bounds, so the checks cost no wall time. Vitest prints as
// it goes; each check's output follows when the suite is done. Arguments go to Vitest
// (`npm test -- --project unit`). The run fails when any part fails.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const CHECKS = ['typecheck', 'lint', 'lint:workflows'];

/** Runs a command to its end; `capture` keeps its output instead of printing it. */
function run(command, args, { capture = false } = {}) {
  const child = spawn(command, args, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return new Promise((done) => child.on('close', (code) => done({ code, output })));
}

async function runChecks() {
  const results = [];
  for (const check of CHECKS)
    results.push({ check, ...(await run('npm', ['run', '--silent', check], { capture: true })) });
  return results;
}

const checks = runChecks();
const suite = await run(process.execPath, [
  resolve(root, 'node_modules/vitest/vitest.mjs'),
  'run',
  ...process.argv.slice(2),
]);
let failed = suite.code !== 0;
for (const { check, code, output } of await checks) {
  console.log(`\n> npm run ${check}: ${code === 0 ? 'passed' : `failed (exit ${code})`}`);
  if (output.trim()) console.log(output.trimEnd());
  failed ||= code !== 0;
}
process.exitCode = failed ? 1 : 0;
