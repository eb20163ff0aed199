// Types of scripts/check-licenses.js, for the docs tests.

export const ALLOWED_LICENSES: readonly string[];

/** The packages of an ncc licenses file; `license` is undefined for a package listed without an id. */
export function parseLicenses(text: string): { name: string; license: string | undefined }[];

/** Whether an SPDX expression is allowed (`A OR B`: either; `A AND B`: both; `WITH`: never). */
export function isAllowed(expression: string): boolean;

/** One line per package whose license is missing or not allowed. */
export function licenseProblems(packages: readonly { name: string; license: string | undefined }[]): string[];
