// Builds the action's bundle: ncc into a clean folder, then minifies the chunks that
// ncc leaves as they are (it minifies only the entry file).
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
    '--minify',
    '--license',
    'licenses.txt',
    '--quiet',
  ],
  { cwd: root, stdio: 'inherit' },
);

for (const file of readdirSync(outDir).filter((name) => /^\d+\.index\.js$/.test(name))) {
  const path = join(outDir, file);
  const { code } = await minify(readFileSync(path, 'utf8'), { module: true, compress: true, mangle: true });
  if (code === undefined) throw new Error(`terser returned nothing for ${file}`);
  writeFileSync(path, code);
}

const files = readdirSync(outDir).sort();
console.log(`Bundled ${files.length} files into ${outDir}: ${files.join(', ')}`);
