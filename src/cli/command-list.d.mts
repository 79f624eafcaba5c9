// Types of command-list.mjs (plain JavaScript so the bin can print help without tsx).
export interface CommandListEntry {
  name: string;
  /** One line for `headforge --help`. */
  summary: string;
}
export declare const COMMAND_LIST: readonly CommandListEntry[];
export declare function helpText(): string;
