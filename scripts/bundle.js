// Builds the action's bundle: ncc into a clean folder, then terser minifies every file ncc
// wrote. ncc's own --minify covers only the entry, with terser's compress off; compressing the
// entry as well leaves less for every run to parse and compile at start-up (about 5% fewer
// instructions on the invalid-input path; README, "Speed").
// Usage: node scripts/bundle.js [outDir]   (default: dist)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const outDir = resolve(root, process.argv[2] ?? 'dist');

// ncc does not delete chunks of earlier builds: start from nothing.
rmSync(outDir, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
    'build',
    'src/index.ts',
    '-o',
    outDir,
    '--license',
    'licenses.txt',
    '--quiet',
  ],
  { cwd: root, stdio: 'inherit' },
);

// The entry holds @actions/core and all it loads (undici among them): keep function and class
// names there, as ncc's --minify does. The chunks (the SDK, Octokit, our lazy modules) keep the
// options they always had.
const ENTRY_NAMES = { keep_classnames: true, keep_fnames: true };
for (const file of readdirSync(outDir).filter((name) => /^(\d+\.)?index\.js$/.test(name))) {
  const path = join(outDir, file);
  const names = file === 'index.js' ? ENTRY_NAMES : {};
  const { code } = await minify(readFileSync(path, 'utf8'), { module: true, compress: true, mangle: true, ...names });
  if (code === undefined) throw new Error(`terser returned nothing for ${file}`);
  writeFileSync(path, code);
}

const files = readdirSync(outDir).sort();
console.log(`Bundled ${files.length} files into ${outDir}: ${files.join(', ')}`);
