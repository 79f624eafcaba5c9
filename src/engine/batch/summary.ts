/**
 * <out>/batch.json: the whole batch in one file: settings, every head (made now, resumed, or failed)
 * and every input that was not a usable portrait. Rewritten at the end of each call, so after a
 * resume it still lists the heads made by earlier calls.
 */
import type { BatchStorage } from './storage/batch-storage';
import type { BadInput, BatchSettings, HeadResult } from './types';

export const BATCH_SUMMARY_FILE = 'batch.json';

export interface BatchSummary {
  format: 'headforge-batch';
  version: 1;
  finishedAt: string;
  settings: BatchSettings;
  seeds: number[];
  /** 'local' or the queue's redis URL without credentials. */
  engine: string;
  totals: {
    heads: number;
    done: number;
    resumed: number;
    failed: number;
    badInputs: number;
    /** Wall seconds of this call. */
    seconds: number;
  };
  heads: HeadResult[];
  badInputs: BadInput[];
}

export function buildSummary(args: {
  settings: BatchSettings;
  seeds: number[];
  engine: string;
  heads: HeadResult[];
  badInputs: BadInput[];
  seconds: number;
}): BatchSummary {
  const done = args.heads.filter((h) => h.state === 'done');
  return {
    format: 'headforge-batch',
    version: 1,
    finishedAt: new Date().toISOString(),
    settings: args.settings,
    seeds: args.seeds,
    engine: args.engine,
    totals: {
      heads: args.heads.length,
      done: done.length,
      resumed: done.filter((h) => h.resumed).length,
      failed: args.heads.length - done.length,
      badInputs: args.badInputs.length,
      seconds: Math.round(args.seconds * 10) / 10,
    },
    heads: args.heads,
    badInputs: args.badInputs,
  };
}

export async function writeSummary(storage: BatchStorage, summary: BatchSummary): Promise<string> {
  await storage.write(BATCH_SUMMARY_FILE, JSON.stringify(summary, null, 2) + '\n');
  return storage.locate(BATCH_SUMMARY_FILE);
}
