// npm run check-licenses: fails when the bundle carries a package under a license that is not on the
// allow-list. It reads dist/licenses.txt, which ncc writes (--license) from the packages it actually
// bundled; check-dist keeps that file what a fresh build writes.
// Usage: node scripts/check-licenses.js [licenses.txt]   (default: dist/licenses.txt)

import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Licenses the action may ship: permissive ones that ask only for the notice that licenses.txt
 * keeps. Adding one is a maintainer's decision, made here and nowhere else.
 */
export const ALLOWED_LICENSES = Object.freeze(['0BSD', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'MIT']);

// ncc writes, per package and sorted by name: the name, the SPDX license id, the license text, a blank
// line. A package without a license id in its package.json gets no id line.
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const SPDX_EXPRESSION = /^\(?[A-Za-z0-9.+-]+(?: (?:OR|AND|WITH) \(?[A-Za-z0-9.+-]+\)?)*\)?$/;

/**
 * The packages of an ncc licenses file, each with its license id (undefined when it has none).
 * @param {string} text
 * @returns {{ name: string, license: string | undefined }[]}
 */
export function parseLicenses(text) {
  const lines = text.split(/\r?\n/);
  const packages = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const startsEntry = i === 0 || lines[i - 1] === '';
    if (!startsEntry || !PACKAGE_NAME.test(line)) continue;
    const next = lines[i + 1] ?? '';
    packages.push({ name: line, license: SPDX_EXPRESSION.test(next) ? next : undefined });
  }
  return packages;
}

/**
 * Whether an SPDX expression is allowed: an id on the list; `A OR B` when either is; `A AND B` when
 * both are. `WITH` exceptions and anything unparsed are not.
 * @param {string} expression
 */
export function isAllowed(expression) {
  const bare = expression.replace(/^\((.*)\)$/, '$1');
  if (bare.includes(' WITH ') || /[()]/.test(bare)) return false;
  return bare
    .split(' OR ')
    .some((alternative) => alternative.split(' AND ').every((id) => ALLOWED_LICENSES.includes(id)));
}

/**
 * One line per package whose license is not allowed, or that has none.
 * @param {{ name: string, license: string | undefined }[]} packages
 * @returns {string[]}
 */
export function licenseProblems(packages) {
  if (packages.length === 0) return ['no package found: is it the licenses file ncc writes?'];
  return packages
    .filter(({ license }) => license === undefined || !isAllowed(license))
    .map(({ name, license }) =>
      license === undefined ? `${name}: no license id` : `${name}: ${license} is not on the allow-list`,
    );
}

function main() {
  const root = resolve(fileURLToPath(import.meta.url), '../..');
  const file = resolve(process.argv[2] ?? resolve(root, 'dist/licenses.txt'));
  const shown = relative(process.cwd(), file) || file;
  const packages = parseLicenses(readFileSync(file, 'utf8'));
  const problems = licenseProblems(packages);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`${shown}: ${problem}`);
    console.error(`Allowed: ${ALLOWED_LICENSES.join(', ')} (scripts/check-licenses.js).`);
    return 1;
  }
  const counts = new Map();
  for (const { license } of packages) counts.set(license, (counts.get(license) ?? 0) + 1);
  const summary = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([license, n]) => `${license} ${n}`);
  console.log(`${shown}: ${packages.length} packages, every license allowed (${summary.join(', ')}).`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
