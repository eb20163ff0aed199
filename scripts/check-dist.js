// Fails when the committed dist/ is not what the sources build: users run dist/, not src/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const committed = join(root, 'dist');
const fresh = mkdtempSync(join(tmpdir(), 'check-dist-'));

try {
  execFileSync(process.execPath, [join(root, 'scripts/bundle.js'), fresh], { cwd: root, stdio: 'ignore' });
  const names = new Set([...listFiles(committed), ...listFiles(fresh)]);
  const stale = [...names].sort().filter((name) => !sameFile(join(committed, name), join(fresh, name)));
  if (stale.length > 0) {
    console.error(`dist/ is stale: ${stale.join(', ')} differ from a fresh build.`);
    console.error('Run `npm run bundle` and commit dist/ with your source change.');
    process.exitCode = 1;
  } else {
    console.log(`dist/ matches a fresh build (${names.size} files).`);
  }
} finally {
  rmSync(fresh, { recursive: true, force: true });
}

function listFiles(dir) {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath ?? entry.path, entry.name).slice(dir.length + 1));
  } catch {
    return [];
  }
}

function sameFile(a, b) {
  try {
    return readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}
