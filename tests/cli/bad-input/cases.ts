/** One row of the CLI bad-input table (tests/cli/bad-input-table.test.ts) and the list they go in. */
export interface Case {
  cmd: string;
  what: string;
  argv: () => string[];
  /** Allowed exit codes (default [2]). */
  codes?: number[];
  /** What the error sentence must say (besides 'headforge <cmd>: '). */
  says?: RegExp;
  /** The sentence's start when the command has its own report format (batch, models check). */
  prefix?: RegExp;
  /** A folder the failed command may create (batch writes its summary of skipped inputs). */
  writes?: string;
  setup?: () => void;
}

export const cases: Case[] = [];
export const add = (cmd: string, what: string, argv: () => string[], more: Partial<Case> = {}): void => {
  cases.push({ cmd, what, argv, ...more });
};
