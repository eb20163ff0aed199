// npm run bench [-- [--runs N] [--no-node24] [--compare DIR] [--storm]]: figures of the committed dist/,
// run the way a GitHub runner runs it (`node dist/index.js`, INPUT_* variables, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files) against the project's local App Runner endpoint. Builds nothing.
//
// - Cold start: each path (reuse, create, reuse with tags in place, invalid input) runs N times after
//   one warm-up, alternating with bare `node -e 0` (and the AWS CLI doing the same lookup, when `aws`
//   is installed): median, min and max ms, ratio to bare node, API calls per run, and the bytes of
//   dist/ the path loaded (one more run with a preload that records every file loaded).
// - Each node path runs on the node running the bench and, interleaved in the same rounds, on Node 24
//   (the runtime action.yml declares), fetched once with `npx -y node@24` from the npm registry.
//   Without it (no registry, --no-node24) the bench says so and measures one node. Each ratio is
//   against bare node of the same version.
// - The org-scale burst: 40 runs at once, one new name, endpoint limited to 8 calls a second.
// - --storm: the org-wide storms of issue 27, one token bucket of 4 calls a second for the account:
//   200 runs with the connection present, and 60 runs with it absent. Minutes of wall time.
// - --compare DIR: a second bundle (a dist/ folder, or a checkout holding one, e.g. a worktree of an
//   older commit) measured side by side in the same rounds, bursts and storms.
//
// Figures, not pass/fail: exits 0 whenever it measured; each figure is marked met / NOT MET against
// its target. Nothing leaves 127.0.0.1: fake credentials, no instance metadata.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startLocalAppRunner } from '../local/apprunner-endpoint.js';
import {
  LOAD_HOOKS_SOURCE,
  PRELOAD_SOURCE,
  USAGE,
  formatTable,
  median,
  megabytes,
  parseArgs,
  spread,
  verdict,
} from './bench-lib.js';
import { describeExit, parseOutputFile, runnerEnv, timedRun, withoutNodeVersionWarning } from './runner-env.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const DEFAULT_RUNS = 15;
const RUN_TIMEOUT_MS = 90_000;
// npx downloads Node 24 (about 50 MB) the first time; later runs find it in npm's cache.
const NODE24_TIMEOUT_MS = 300_000;
const TAGS = { team: 'platform', env: 'bench' };
const TAGS_INPUT = Object.entries(TAGS)
  .map(([key, value]) => `${key}=${value}`)
  .join('\n');

/**
 * @typedef {{ key: string, label: string, runs: number, perSecond: number, burst: number, present: boolean }} Storm
 * @type {Storm}
 */
const BURST = {
  key: 'burst',
  label: '40 runs at once, one new name, 8 calls/s',
  runs: 40,
  perSecond: 8,
  burst: 8,
  present: false,
};
/** @type {Storm[]} issue 27: one token bucket for the account, 4 calls a second. */
const STORMS = [
  { key: 'present', label: '200 runs, connection present', runs: 200, perSecond: 4, burst: 4, present: true },
  { key: 'absent', label: '60 runs, connection absent', runs: 60, perSecond: 4, burst: 4, present: false },
];
/** A storm run may queue for the throttling budget (240 s), then take a run's fault bounds (60 s). */
const STORM_RUN_BOUND_MS = 300_000;

// Ratio targets are set on Node 20 (issue 13); Node 24's figures are marked against the same.
const TARGETS = {
  ratio: { reuse: 4.8, create: 5.8, invalid: 2.5 },
  reuseBytes: 1.2e6,
  calls: { reuse: 1, create: 2, tagged: 2 },
  burstRequestsPerRun: 3.5,
};

/**
 * @typedef {import('./runner-env.js').RunResult} RunResult
 * @typedef {{ ms: number[], calls: number[], failures: { result: RunResult, calls: number }[] }} Samples
 * @typedef {{ key: string, label: string, dir: string, action: string, description: string }} Bundle
 * @typedef {{
 *   key: string, label: string, expectCode: number, perBundle: boolean,
 *   command: (node: string, bundle: Bundle) => { command: string, args: string[], env: Record<string, string> },
 *   ratioTarget?: number, callsTarget?: number, bytesTarget?: number, measureBytes: boolean,
 *   onEveryNode: boolean,
 * }} Path
 * @typedef {{ key: string, label: string, node: string }} Runtime
 * @typedef {Awaited<ReturnType<typeof measureStorm>>} StormFigures
 */

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), { runs: DEFAULT_RUNS });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (args.help) {
    console.log(
      `Usage: ${USAGE}\n  N timed runs per path after one warm-up (default 15); --no-node24 measures only this node;\n` +
        '  --compare DIR measures a second bundle (a dist/ folder, or a checkout holding one) side by side;\n' +
        '  --storm adds the org-wide storms of issue 27 (minutes of wall time)',
    );
    return 0;
  }
  const sources = [{ key: 'dist', label: 'dist/', dir: join(root, 'dist') }];
  if (args.compare) {
    const given = resolve(args.compare);
    const dir = existsSync(join(given, 'index.js')) ? given : join(given, 'dist');
    sources.push({ key: 'compare', label: `${args.compare}`, dir });
  }
  for (const { dir, key } of sources) {
    if (!existsSync(join(dir, 'index.js'))) {
      console.error(
        key === 'dist'
          ? `dist/index.js is missing (looked for ${dir}). Run npm run bundle first; bench builds nothing.`
          : `--compare ${args.compare}: no index.js there nor in its dist/ (looked in ${dir}).`,
      );
      return 1;
    }
  }

  // Real path: the ESM loader reports files by their real paths.
  const work = realpathSync(await mkdtemp(join(tmpdir(), 'apprunner-bench-')));
  try {
    // Private copies, so a rebuild of dist/ while the bench runs (others work in this checkout at the
    // same time) cannot mix two bundles or break runs half-way.
    /** @type {Bundle[]} */
    const bundles = sources.map(({ key, label, dir }) => {
      const copy = join(work, key, 'dist');
      const description = describeBundle(dir, key === 'dist');
      cpSync(dir, copy, { recursive: true });
      return { key, label, dir: copy, action: join(copy, 'index.js'), description };
    });
    return await bench(args, bundles, work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * @param {{ runs: number, node24: boolean, storm: boolean }} args
 * @param {Bundle[]} bundles the committed dist/ first, then the one to compare with
 * @param {string} work a private temporary folder
 */
async function bench({ runs, node24: wantNode24, storm: wantStorm }, bundles, work) {
  const benchStarted = Date.now();
  const [dist] = /** @type {[Bundle, ...Bundle[]]} */ (bundles);
  const outputFile = join(work, 'github_output');
  const summaryFile = join(work, 'step_summary');
  const hooksFile = join(work, 'load-hooks.mjs');
  const preloadFile = join(work, 'preload.mjs');
  await writeFile(hooksFile, LOAD_HOOKS_SOURCE);
  await writeFile(preloadFile, PRELOAD_SOURCE);

  /** Fresh, empty GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files before each run. */
  const resetRunnerFiles = async () => {
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
  };

  const base = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? work,
    AWS_ACCESS_KEY_ID: 'AKIDLOCALBENCH',
    AWS_SECRET_ACCESS_KEY: 'local-bench-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    // No shared config or credentials files: a profile there must not change where calls go.
    AWS_CONFIG_FILE: join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
  };

  const endpoint = await startLocalAppRunner();
  const reuseName = 'bench-reuse';
  const taggedName = 'bench-tagged';
  endpoint.seedConnection({ name: reuseName });
  endpoint.seedConnection({ name: taggedName, tags: TAGS });
  let created = 0;

  /**
   * @param {Record<string, string>} inputs by their action.yml names (connection-name, tags); region is us-east-1
   * @param {string} endpointUrl
   */
  const actionEnv = (inputs, endpointUrl) =>
    runnerEnv({
      inputs: { region: 'us-east-1', ...inputs },
      env: {
        ...base,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        AWS_ENDPOINT_URL_APPRUNNER: endpointUrl,
      },
    });
  /** @param {string} node @param {Bundle} bundle @param {Record<string, string>} inputs */
  const runAction = (node, bundle, inputs) => ({
    command: node,
    args: [bundle.action],
    env: actionEnv(inputs, endpoint.url),
  });

  const aws = await findAwsCli(base, work);
  const onNode24 = process.versions.node.startsWith('24.');
  const node24 = !wantNode24
    ? { available: false, reason: '--no-node24' }
    : onNode24
      ? { available: false, reason: 'the bench itself runs on it' }
      : await findNode24(work);
  /** @type {Runtime[]} */
  const runtimes = [{ key: 'current', label: `node ${process.version}`, node: process.execPath }];
  if (node24.available) runtimes.push({ key: 'node24', label: `node ${node24.version}`, node: node24.path });

  /** @type {Path[]} */
  const paths = [
    {
      key: 'bare',
      label: 'bare node -e 0',
      expectCode: 0,
      perBundle: false,
      command: (node) => ({ command: node, args: ['-e', '0'], env: base }),
      measureBytes: false,
      onEveryNode: true,
    },
    {
      key: 'reuse',
      label: 'reuse',
      expectCode: 0,
      perBundle: true,
      command: (node, bundle) => runAction(node, bundle, { 'connection-name': reuseName }),
      ratioTarget: TARGETS.ratio.reuse,
      callsTarget: TARGETS.calls.reuse,
      bytesTarget: TARGETS.reuseBytes,
      measureBytes: true,
      onEveryNode: true,
    },
    {
      key: 'create',
      label: 'create (new name each run)',
      expectCode: 0,
      perBundle: true,
      command: (node, bundle) =>
        runAction(node, bundle, { 'connection-name': `bench-create-${(created += 1)}`, tags: TAGS_INPUT }),
      ratioTarget: TARGETS.ratio.create,
      callsTarget: TARGETS.calls.create,
      measureBytes: true,
      onEveryNode: true,
    },
    {
      key: 'tagged',
      label: 'reuse, tags in place',
      expectCode: 0,
      perBundle: true,
      command: (node, bundle) => runAction(node, bundle, { 'connection-name': taggedName, tags: TAGS_INPUT }),
      callsTarget: TARGETS.calls.tagged,
      measureBytes: true,
      onEveryNode: true,
    },
    {
      key: 'invalid',
      label: 'invalid input',
      expectCode: 1,
      perBundle: true,
      command: (node, bundle) => runAction(node, bundle, { 'connection-name': 'not a valid name!' }),
      ratioTarget: TARGETS.ratio.invalid,
      measureBytes: true,
      onEveryNode: true,
    },
  ];
  if (aws.available) {
    paths.push({
      key: 'aws',
      label: 'AWS CLI list-connections',
      expectCode: 0,
      perBundle: false,
      command: () => ({
        command: 'aws',
        args: [
          'apprunner',
          'list-connections',
          '--connection-name',
          reuseName,
          '--endpoint-url',
          endpoint.url,
          '--region',
          'us-east-1',
        ],
        env: { ...base, AWS_PAGER: '' },
      }),
      measureBytes: false,
      onEveryNode: false,
    });
  }

  console.log(
    `Cold start, node ${process.version}, ${cpus().length} CPUs (load average ${loadAverage()}), ` +
      `${plural(runs, 'run')} per path after 1 warm-up, local endpoint ${endpoint.url}`,
  );
  for (const bundle of bundles) console.log(`Bundle ${bundle.label}: ${bundle.description}`);
  console.log(aws.available ? `AWS CLI: ${aws.version}` : `AWS CLI: skipped (${aws.reason})`);
  console.log(
    node24.available
      ? `Node 24: ${node24.version} (${node24.path}), interleaved with node ${process.version} in the same rounds`
      : `Node 24: not available (${node24.reason}); measuring node ${process.version} only`,
  );
  if (process.env['NODE_EXTRA_CA_CERTS']) {
    // Node 20 reads the whole file at every start (tens of ms); a GitHub runner does not set it.
    console.log('NODE_EXTRA_CA_CERTS is set in this shell: the timed runs do not get it, as on a GitHub runner.');
  }

  /** Where a path's samples are kept: paths that run no bundle are measured once, under dist/. */
  const sampleKey = (/** @type {Bundle} */ bundle, /** @type {Runtime} */ runtime, /** @type {Path} */ path) =>
    `${path.perBundle ? bundle.key : dist.key}:${runtime.key}:${path.key}`;
  /** @type {Map<string, Samples>} */
  const samples = new Map();
  for (const bundle of bundles) {
    for (const runtime of runtimes) {
      for (const path of paths) samples.set(sampleKey(bundle, runtime, path), { ms: [], calls: [], failures: [] });
    }
  }
  const samplesOf = (/** @type {Bundle} */ bundle, /** @type {Runtime} */ runtime, /** @type {Path} */ path) =>
    /** @type {Samples} */ (samples.get(sampleKey(bundle, runtime, path)));
  /** @type {Map<string, { bytes: number, files: string[], check: string } | { error: string }>} */
  const loaded = new Map();

  try {
    /** One run of a path on a node; its figures go to `samples` unless it is the warm-up. */
    const measure = async (
      /** @type {Bundle} */ bundle,
      /** @type {Runtime} */ runtime,
      /** @type {Path} */ path,
      /** @type {boolean} */ record,
    ) => {
      await resetRunnerFiles();
      const { command, args, env } = path.command(runtime.node, bundle);
      const callsBefore = endpoint.calls.length;
      const result = await timedRun(command, args, { env, cwd: root, timeoutMs: RUN_TIMEOUT_MS });
      const calls = endpoint.calls.length - callsBefore;
      if (!record) return;
      const sample = samplesOf(bundle, runtime, path);
      sample.ms.push(result.ms);
      sample.calls.push(calls);
      if (result.code !== path.expectCode) sample.failures.push({ result, calls });
    };
    /** Each path in turn, on each node in turn, with each bundle in turn (the AWS CLI once). */
    const round = async (/** @type {boolean} */ record) => {
      for (const path of paths) {
        for (const runtime of path.onEveryNode ? runtimes : runtimes.slice(0, 1)) {
          for (const bundle of path.perBundle ? bundles : [dist]) await measure(bundle, runtime, path, record);
        }
      }
    };

    // Warm-up (page cache, the CLI's Python bytecode cache), then N rounds, paths, nodes and bundles alternating.
    await round(false);
    for (let i = 0; i < runs; i += 1) await round(true);

    // Bytes of JavaScript each path loaded from the bundle: one more run with the preload.
    for (const bundle of bundles) {
      for (const path of paths.filter((p) => p.measureBytes)) {
        loaded.set(
          `${bundle.key}:${path.key}`,
          await measureLoaded(path, bundle, runtimes[0], work, preloadFile, hooksFile, resetRunnerFiles),
        );
      }
    }
  } finally {
    await endpoint.close();
  }

  /** @type {Map<string, StormFigures>} */
  const storms = new Map();
  const envFor = (/** @type {string} */ name, /** @type {string} */ url) => actionEnv({ 'connection-name': name }, url);
  for (const bundle of bundles) storms.set(`${bundle.key}:burst`, await measureStorm(BURST, bundle, envFor, work));
  if (wantStorm) {
    for (const storm of STORMS) {
      for (const bundle of bundles) {
        console.log(`Storm ${storm.label} with ${bundle.label}: running...`);
        storms.set(`${bundle.key}:${storm.key}`, await measureStorm(storm, bundle, envFor, work));
      }
    }
  }

  // ---- report ----------------------------------------------------------------------------------
  const bareOf = (/** @type {Runtime} */ runtime) => median(samplesOf(dist, runtime, paths[0]).ms);
  /** Median, min, max, ratio to bare node of the same version and its target: one node's cells of a row. */
  const timeCells = (/** @type {Bundle} */ bundle, /** @type {Runtime} */ runtime, /** @type {Path} */ path) => {
    if (!path.onEveryNode && runtime !== runtimes[0]) return ['-', '', '', '', ''];
    const sample = samplesOf(bundle, runtime, path);
    const mid = median(sample.ms);
    const ratio = mid / bareOf(runtime);
    return [
      mid.toFixed(1),
      Math.min(...sample.ms).toFixed(1),
      Math.max(...sample.ms).toFixed(1),
      path.key === 'bare' ? '1.00x' : `${ratio.toFixed(2)}x`,
      path.ratioTarget === undefined ? '' : `<= ${path.ratioTarget}x ${verdict(ratio <= path.ratioTarget)}`,
    ];
  };
  const timeHeader = runtimes.flatMap((runtime) => [`${runtime.label} median`, 'min', 'max', 'vs bare', 'target']);
  const rightAligned = new Set(runtimes.flatMap((_, i) => [1, 2, 3, 4].map((col) => col + 5 * i)));
  for (const bundle of bundles) {
    const shown = paths.filter((path) => path.perBundle || bundle === dist);
    console.log('');
    console.log(
      `Per path, ${bundle.label}: ${plural(runs, 'run')} each on ${runtimes.map((r) => r.label).join(' and ')}, ` +
        'wall time from spawn to exit (ms), ratio to bare node of the same version',
    );
    const rows = shown.map((path) => [path.label, ...runtimes.flatMap((runtime) => timeCells(bundle, runtime, path))]);
    console.log(formatTable(['path', ...timeHeader], rows, rightAligned));
  }
  if (!node24.available && !onNode24) console.log(`Node 24 not available: ${node24.reason}`);

  if (bundles.length > 1) {
    const [, other] = /** @type {[Bundle, Bundle]} */ (bundles);
    const rows = paths
      .filter((path) => path.perBundle)
      .flatMap((path) =>
        runtimes.map((runtime) => {
          const [now, then] = [dist, other].map((bundle) => median(samplesOf(bundle, runtime, path).ms));
          const cell = (/** @type {number} */ ms) => `${ms.toFixed(1)} (${(ms / bareOf(runtime)).toFixed(2)}x)`;
          const change =
            (100 * /** @type {number} */ (now - /** @type {number} */ (then))) / /** @type {number} */ (then);
          return [
            path.label,
            runtime.label,
            cell(/** @type {number} */ (now)),
            cell(/** @type {number} */ (then)),
            `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`,
          ];
        }),
      );
    console.log('');
    console.log(`Side by side: medians in ms (ratio to bare node), measured in the same rounds`);
    console.log(formatTable(['path', 'node', dist.label, other.label, 'change'], rows, new Set([2, 3, 4])));
  }

  const workRows = paths.map((path) => [
    path.label,
    ...bundles.flatMap((bundle) => {
      if (!path.perBundle && bundle !== dist) return ['', '', '', ''];
      // Every run on every node counts: the API calls must not depend on the node.
      const calls = runtimes.flatMap((runtime) =>
        path.onEveryNode || runtime === runtimes[0] ? samplesOf(bundle, runtime, path).calls : [],
      );
      const bytes = loaded.get(`${bundle.key}:${path.key}`);
      return [
        path.key === 'bare' ? '-' : spread(calls),
        path.callsTarget === undefined
          ? ''
          : `= ${path.callsTarget} ${verdict(calls.every((c) => c === path.callsTarget) && median(calls) === path.callsTarget)}`,
        !bytes ? '-' : 'error' in bytes ? 'n/a (see below)' : megabytes(bytes.bytes),
        path.bytesTarget === undefined || !bytes || 'error' in bytes
          ? ''
          : `<= ${megabytes(path.bytesTarget)} ${verdict(bytes.bytes <= path.bytesTarget)}`,
      ];
    }),
  ]);
  console.log('');
  console.log(`Work per run (API calls over the runs on every node; JS loaded measured on node ${process.version})`);
  const workHeader = bundles.flatMap((bundle) => [`${bundle.label} API calls/run`, 'target', 'JS loaded', 'target']);
  const workRight = new Set(bundles.flatMap((_, i) => [1 + 4 * i, 3 + 4 * i]));
  console.log(formatTable(['path', ...workHeader], workRows, workRight));

  console.log('');
  console.log('JS loaded = bytes of the bundle files a run of that path loaded (MB = 10^6 bytes):');
  for (const bundle of bundles) {
    for (const path of paths.filter((p) => p.measureBytes)) {
      const bytes = /** @type {NonNullable<ReturnType<typeof loaded.get>>} */ (loaded.get(`${bundle.key}:${path.key}`));
      const label = `  ${bundles.length > 1 ? `${bundle.label} ` : ''}${path.label}`;
      if ('error' in bytes) console.log(`${label}: not measured: ${bytes.error}`);
      else
        console.log(
          `${label}: ${bytes.bytes.toLocaleString('en-US')} bytes = ${bytes.files.join(' + ')} (${bytes.check})`,
        );
    }
  }

  printStorms(
    `Org-scale burst: ${BURST.runs} runs started together, one new connection name, endpoint limited to ` +
      `${BURST.perSecond} calls/s (burst ${BURST.burst})`,
    [BURST],
    bundles,
    storms,
  );
  if (wantStorm) {
    printStorms(
      'Org-wide storms (issue 27): runs started together against one token bucket of 4 calls/s for the account',
      STORMS,
      bundles,
      storms,
    );
  } else {
    console.log('');
    console.log('Storms of issue 27 (200 and 60 runs at 4 calls/s): not measured; add --storm (minutes of wall time).');
  }

  // ---- anything that did not go as expected ----------------------------------------------------
  const problems = [];
  for (const bundle of bundles) {
    for (const runtime of runtimes) {
      for (const path of paths.filter((p) => p.perBundle || bundle === dist)) {
        const { failures } = samplesOf(bundle, runtime, path);
        if (failures.length === 0) continue;
        const first = /** @type {{ result: RunResult, calls: number }} */ (failures[0]);
        problems.push(
          `${path.label} on ${runtime.label} (${bundle.label}): ${failures.length} of ${runs} runs did not exit ` +
            `${path.expectCode} (first: ${describeExit(first.result)}, ${first.calls} API calls)\n${excerpt(first.result)}`,
        );
      }
    }
  }
  for (const [key, figures] of storms) {
    for (const failure of figures.failures.slice(0, 2)) {
      problems.push(`${key} run: ${describeExit(failure)}\n${excerpt(failure)}`);
    }
  }
  if (problems.length > 0) {
    console.log('');
    console.log('Unexpected exits (the figures above include these runs):');
    for (const problem of problems) console.log(`- ${problem}`);
  }

  console.log('');
  console.log(
    `Measured in ${((Date.now() - benchStarted) / 1000).toFixed(0)} s (load average now ${loadAverage()}; ` +
      'other work on this machine inflates the ratios). Figures, not pass/fail: exit 0.',
  );
  return 0;
}

/**
 * One table for some storms: a column per storm and bundle, a row per figure, each marked against its target.
 * @param {string} title
 * @param {Storm[]} kinds
 * @param {Bundle[]} bundles
 * @param {Map<string, StormFigures>} storms
 */
function printStorms(title, kinds, bundles, storms) {
  const columns = kinds.flatMap((storm) =>
    bundles.map((bundle) => ({
      storm,
      bundle,
      figures: /** @type {StormFigures} */ (storms.get(`${bundle.key}:${storm.key}`)),
    })),
  );
  /** @type {[string, (c: (typeof columns)[number]) => string][]} */
  const figures = [
    [
      'runs that exit 0',
      ({ storm, figures: f }) => `${f.succeeded}/${storm.runs} ${verdict(f.succeeded === storm.runs)}`,
    ],
    ['distinct ARNs in the outputs', ({ figures: f }) => `${f.arns} ${verdict(f.arns === 1)}`],
    [
      'runs with created=true',
      ({ storm, figures: f }) => `${f.createdTrue} ${verdict(f.createdTrue === (storm.present ? 0 : 1))}`,
    ],
    ['connections of that name after', ({ figures: f }) => `${f.connections} ${verdict(f.connections === 1)}`],
    ['last run ended at', ({ figures: f }) => `${(f.ms / 1000).toFixed(1)} s`],
    [
      'slowest run',
      ({ figures: f }) => `${(f.slowestMs / 1000).toFixed(1)} s ${verdict(f.slowestMs < STORM_RUN_BOUND_MS)}`,
    ],
    [
      'requests per run',
      ({ storm, figures: f }) =>
        `${(f.calls / storm.runs).toFixed(2)}${storm === BURST ? ` ${verdict(f.calls / storm.runs <= TARGETS.burstRequestsPerRun)}` : ''}`,
    ],
    [
      '  of which throttled',
      ({ figures: f }) => `${f.throttled} of ${f.calls} (${((100 * f.throttled) / Math.max(1, f.calls)).toFixed(0)}%)`,
    ],
  ];
  const header = columns.map(
    ({ storm, bundle }) =>
      [kinds.length > 1 && storm.label, bundles.length > 1 && bundle.label].filter(Boolean).join(', ') || 'value',
  );
  console.log('');
  console.log(title);
  console.log(
    `Targets: every run exits 0, one ARN, created=true once for an absent connection (never for a present one), ` +
      `one connection, every run within ${STORM_RUN_BOUND_MS / 1000} s` +
      (kinds.includes(BURST) ? `, at most ${TARGETS.burstRequestsPerRun} requests per run` : ''),
  );
  const rows = figures.map(([label, cell]) => [label, ...columns.map(cell)]);
  console.log(formatTable(['figure', ...header], rows));
  for (const { storm, bundle, figures: f } of columns) {
    const by = Object.entries(f.byOperation)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ');
    console.log(`  ${[storm.label, bundle.label].join(', ')}: calls by operation: ${by}`);
  }
}

/**
 * Runs a path once more with NODE_OPTIONS=--import=<preload>, which reports the bundle files the
 * process loaded (an ESM load hook, checked against V8's own list of parsed scripts).
 * @param {Path} path
 * @param {Bundle} bundle
 * @param {Runtime} runtime
 * @param {string} work
 * @param {string} preloadFile
 * @param {string} hooksFile
 * @param {() => Promise<void>} resetRunnerFiles
 */
async function measureLoaded(path, bundle, runtime, work, preloadFile, hooksFile, resetRunnerFiles) {
  const log = join(work, `loaded-${bundle.key}-${path.key}.log`);
  const report = join(work, `loaded-${bundle.key}-${path.key}.json`);
  await writeFile(log, '');
  await resetRunnerFiles();
  const { command, args, env } = path.command(runtime.node, bundle);
  const result = await timedRun(command, args, {
    cwd: root,
    timeoutMs: RUN_TIMEOUT_MS,
    env: {
      ...env,
      NODE_OPTIONS: `--import=${JSON.stringify(preloadFile)}`,
      BENCH_LOAD_HOOKS: hooksFile,
      BENCH_LOAD_LOG: log,
      BENCH_LOAD_REPORT: report,
      BENCH_DIST_DIR: bundle.dir,
    },
  });
  /** @type {{ files: { file: string, bytes: number }[], bytes: number, fromHook: string[], fromV8: string[] }} */
  let data;
  try {
    data = JSON.parse(await readFile(report, 'utf8'));
  } catch {
    return { error: `the preload wrote no report (${describeExit(result)})\n${excerpt(result)}` };
  }
  if (result.code !== path.expectCode) {
    return { error: `the run with the preload ended with ${describeExit(result)}\n${excerpt(result)}` };
  }
  if (!data.fromHook.includes(bundle.action)) {
    return { error: `index.js is not among the files the load hook saw (${data.fromHook.join(', ')})` };
  }
  const same = data.fromHook.length === data.fromV8.length && data.fromHook.every((file, i) => file === data.fromV8[i]);
  return {
    bytes: data.bytes,
    files: listFiles(data.files),
    check: same
      ? 'load hook and V8 agree'
      : `load hook and V8 DISAGREE: V8 parsed ${data.fromV8.map((f) => basename(f)).join(', ')}`,
  };
}

/**
 * `storm.runs` runs of `bundle` at once, all for one connection name (seeded first when `storm.present`),
 * against a fresh endpoint whose one token bucket allows `storm.perSecond` calls a second.
 * @param {Storm} storm
 * @param {Bundle} bundle
 * @param {(name: string, url: string) => Record<string, string>} envFor
 * @param {string} work
 */
async function measureStorm(storm, bundle, envFor, work) {
  const endpoint = await startLocalAppRunner({ rateLimit: { perSecond: storm.perSecond, burst: storm.burst } });
  const name = `bench-${storm.key}-${process.pid}`;
  if (storm.present) endpoint.seedConnection({ name, status: 'AVAILABLE' });
  try {
    const started = process.hrtime.bigint();
    const results = await Promise.all(
      Array.from({ length: storm.runs }, async (_, i) => {
        const outputFile = join(work, `${storm.key}-${bundle.key}-${i}-output`);
        const summaryFile = join(work, `${storm.key}-${bundle.key}-${i}-summary`);
        await writeFile(outputFile, '');
        await writeFile(summaryFile, '');
        const env = { ...envFor(name, endpoint.url), GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile };
        const timeoutMs = STORM_RUN_BOUND_MS + 30_000;
        const result = await timedRun(process.execPath, [bundle.action], { env, cwd: root, timeoutMs });
        return { result, outputs: Object.fromEntries(parseOutputFile(await readFile(outputFile, 'utf8'))) };
      }),
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    /** @type {Record<string, number>} */
    const byOperation = {};
    for (const call of endpoint.calls) byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
    return {
      ms,
      slowestMs: Math.max(...results.map(({ result }) => result.ms)),
      succeeded: results.filter(({ result }) => result.code === 0).length,
      failures: results.filter(({ result }) => result.code !== 0).map(({ result }) => result),
      connections: endpoint.connections().filter((c) => c.name === name && c.status !== 'DELETED').length,
      calls: endpoint.calls.length,
      throttled: endpoint.calls.filter((c) => c.errorType === 'ThrottlingException').length,
      byOperation,
      arns: new Set(results.map(({ outputs }) => outputs['connection-arn']).filter(Boolean)).size,
      createdTrue: results.filter(({ outputs }) => outputs.created === 'true').length,
    };
  } finally {
    await endpoint.close();
  }
}

/**
 * Whether `aws` runs here; a missing CLI (or a shim without one behind it) is skipped, not an error.
 * @param {Record<string, string>} env
 * @param {string} cwd
 */
async function findAwsCli(env, cwd) {
  const result = await timedRun('aws', ['--version'], { env, cwd, timeoutMs: 30_000 });
  if (result.spawnError) return { available: false, reason: 'aws is not installed' };
  if (result.code !== 0) {
    const why = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
    return { available: false, reason: `aws --version failed: ${describeExit(result)} ${why}`.trim() };
  }
  return { available: true, version: (result.stdout || result.stderr).trim().split('\n')[0] };
}

/**
 * A Node 24 binary from the npm registry (the `node` package ships the binary), via npx and its
 * cache; not an error when it cannot be had (no registry, a timeout): the bench measures one node.
 * @param {string} cwd
 * @returns {Promise<{ available: true, path: string, version: string } | { available: false, reason: string }>}
 */
async function findNode24(cwd) {
  // npm needs this shell's environment (registry settings, proxies, CA certificates).
  /** @type {Record<string, string>} */
  const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined));
  const found = await timedRun('npx', ['--yes', 'node@24', '-p', 'process.execPath'], {
    env,
    cwd,
    timeoutMs: NODE24_TIMEOUT_MS,
  });
  const path = found.stdout.trim().split('\n').pop() ?? '';
  if (found.code !== 0 || !isAbsolute(path) || !existsSync(path)) {
    // npm's own error lines, without its pointer to the debug log.
    const why = (found.stderr || found.stdout)
      .split('\n')
      .filter((line) => line.startsWith('npm error') && !line.includes('complete log'))
      .map((line) => line.replace(/^npm error /, ''))
      .join('; ');
    return { available: false, reason: `npx --yes node@24 failed: ${describeExit(found)} ${why}`.trim() };
  }
  const version = await timedRun(path, ['-p', 'process.version'], { env: {}, cwd, timeoutMs: 30_000 });
  const v = version.stdout.trim();
  if (version.code !== 0 || !v.startsWith('v24.')) {
    return { available: false, reason: `${path} is not Node 24 (${describeExit(version)}: ${v})` };
  }
  return { available: true, path, version: v };
}

/**
 * The loaded files, largest first; past six, the rest are summed up.
 * @param {{ file: string, bytes: number }[]} files
 */
function listFiles(files) {
  const sorted = [...files].sort((a, b) => b.bytes - a.bytes);
  const shown = sorted.slice(0, 6).map(({ file, bytes }) => `${basename(file)} ${bytes.toLocaleString('en-US')}`);
  const rest = sorted.slice(6);
  if (rest.length > 0) {
    const bytes = rest.reduce((sum, f) => sum + f.bytes, 0);
    shown.push(`${rest.length} more ${bytes.toLocaleString('en-US')}`);
  }
  return shown;
}

/** @param {number} n @param {string} noun */
const plural = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

/**
 * Its files and size; for the committed dist/, whether it is as committed; for another, the commit
 * of the checkout it is in, when it is in one.
 * @param {string} dir
 * @param {boolean} committed
 */
function describeBundle(dir, committed) {
  const files = readdirSync(dir).filter((name) => name.endsWith('.js'));
  const total = files.reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
  let state = '';
  try {
    const git = (/** @type {string[]} */ args) =>
      execFileSync('git', ['--no-optional-locks', ...args], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    if (committed)
      state = git(['status', '--porcelain', '--', '.']) === '' ? ', as committed' : ', DIFFERS from the last commit';
    else state = `, in a checkout at ${git(['log', '-1', '--format=%h %s'])}`;
  } catch {
    // Not a git checkout, or no git: say nothing about it.
  }
  return `${files.length} .js files, ${megabytes(total)}${state}`;
}

/** The last lines a failed run printed, without the SDK's Node version warning. */
function excerpt(/** @type {RunResult} */ result) {
  const text = withoutNodeVersionWarning(`${result.stdout}\n${result.stderr}`).trim();
  const lines = text.split('\n').slice(-8);
  return lines.map((line) => `    ${line.length > 200 ? `${line.slice(0, 200)}...` : line}`).join('\n');
}

process.exitCode = await main();
