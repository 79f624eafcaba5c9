/**
 * The CLI's exit codes, in a module of their own so `headforge --help` can name them without loading
 * the command framework (./command re-exports them).
 */
export const EXIT = { ok: 0, internal: 1, usage: 2, missing: 3, cancelled: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
