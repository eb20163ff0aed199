// Helpers of scripts/bench.js: statistics, formatting, child processes, and the preload that
// measures which files of dist/ a run loaded. Node built-ins only.

export const USAGE = 'npm run bench [-- [--runs N] [--no-node24] [--compare DIR] [--storm]]';

/**
 * Reads `--runs N` (or `--runs=N`), `--no-node24`, `--compare DIR` (or `--compare=DIR`) and `--storm`;
 * anything else is an error.
 * @param {string[]} argv
 * @param {{ runs: number }} defaults
 * @returns {{ runs: number, node24: boolean, compare: string | undefined, storm: boolean, help: boolean }}
 */
export function parseArgs(argv, defaults) {
  /** @type {{ runs: number, node24: boolean, compare: string | undefined, storm: boolean, help: boolean }} */
  const parsed = { runs: defaults.runs, node24: true, compare: undefined, storm: false, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = /** @type {string} */ (argv[i]);
    /** The value of `--name VALUE` or `--name=VALUE`. */
    const valueOf = (/** @type {string} */ name) => (arg === name ? argv[++i] : arg.slice(name.length + 1));
    if (arg === '--help' || arg === '-h') {
      parsed.help = true;
    } else if (arg === '--no-node24') {
      parsed.node24 = false;
    } else if (arg === '--storm') {
      parsed.storm = true;
    } else if (arg === '--runs' || arg.startsWith('--runs=')) {
      const value = valueOf('--runs');
      const runs = Number(value);
      if (!Number.isInteger(runs) || runs < 1)
        throw new Error(`--runs needs a whole number of at least 1, not ${value}`);
      parsed.runs = runs;
    } else if (arg === '--compare' || arg.startsWith('--compare=')) {
      const value = valueOf('--compare');
      if (!value) throw new Error('--compare needs a folder: a dist/ or a checkout that holds one');
      parsed.compare = value;
    } else {
      throw new Error(`Unknown argument ${arg} (usage: ${USAGE})`);
    }
  }
  return parsed;
}

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? /** @type {number} */ (sorted[mid]) : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * "1" when every run made the same number of calls, "1-3" otherwise.
 * @param {number[]} values
 */
export function spread(values) {
  if (values.length === 0) return '-';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? String(min) : `${min}-${max}`;
}

/**
 * Renders rows as columns: text columns left-aligned, the ones named in `right` right-aligned.
 * @param {string[]} header
 * @param {string[][]} rows
 * @param {Set<number>} right indexes of right-aligned columns
 */
export function formatTable(header, rows, right = new Set()) {
  const widths = header.map((title, col) => Math.max(title.length, ...rows.map((row) => (row[col] ?? '').length)));
  /** @param {string[]} cells */
  const line = (cells) =>
    cells
      .map((cell, col) => (right.has(col) ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** @param {boolean} met */
export const verdict = (met) => (met ? 'met' : 'NOT MET');

/** @param {number} bytes decimal megabytes, as the targets are written */
export const megabytes = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

// ---- bytes of dist/ loaded --------------------------------------------------------------------
// Two independent observers, so each checks the other:
//  - an ESM load hook (module.register) that appends every file:// URL it loads to a log file.
//    ncc loads its chunks with `import("./" + id + ".index.js")`, which goes through the ESM
//    loader, so the hook sees them; it runs on the hooks thread and finishes before the module
//    it loaded is evaluated, so by process exit the log is complete.
//  - V8 itself, through an in-thread inspector session: Debugger.scriptParsed fires for every
//    script compiled (ESM, CommonJS, chunks), whoever loaded it.
// At exit the preload also reads require.cache (CommonJS loads), keeps the files under dist/,
// sums their sizes and writes one JSON report.

export const LOAD_HOOKS_SOURCE = `// Written by scripts/bench.js: records every file:// URL the ESM loader loads.
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) {
  log = data.log;
}
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (log && url.startsWith('file:')) appendFileSync(log, url + '\\n');
  return result;
}
`;

export const PRELOAD_SOURCE = `// Written by scripts/bench.js: loaded with NODE_OPTIONS=--import=<this file>.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire, register } from 'node:module';
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const { BENCH_LOAD_LOG: log, BENCH_LOAD_REPORT: report, BENCH_DIST_DIR: distDir } = process.env;
register(pathToFileURL(process.env.BENCH_LOAD_HOOKS).href, { data: { log } });

const parsed = new Set();
const session = new Session();
session.connect();
session.on('Debugger.scriptParsed', ({ params }) => {
  if (params.url.startsWith('file:')) parsed.add(params.url);
});
session.post('Debugger.enable');

const inDist = (file) => file.startsWith(distDir + sep);
const toPath = (url) => {
  try {
    return fileURLToPath(url.replace(/[?#].*$/, ''));
  } catch {
    return url;
  }
};

process.on('exit', () => {
  let hooked = [];
  try {
    hooked = readFileSync(log, 'utf8').split('\\n').filter(Boolean);
  } catch {}
  const fromHook = new Set([...hooked.map(toPath), ...Object.keys(createRequire(import.meta.url).cache)].filter(inDist));
  const fromV8 = new Set([...parsed].map(toPath).filter(inDist));
  const files = [...fromHook].sort().map((file) => ({ file, bytes: statSync(file).size }));
  writeFileSync(
    report,
    JSON.stringify({
      files,
      bytes: files.reduce((sum, f) => sum + f.bytes, 0),
      fromHook: [...fromHook].sort(),
      fromV8: [...fromV8].sort(),
    }),
  );
});
`;
