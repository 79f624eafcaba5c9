/** The run panel's stage list: advanced per progress event and read back after a reload (sessionStorage). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  advanceStages,
  forgetStages,
  loadStages,
  pastPreprocessing,
  saveStages,
} from '../../src/renderer/workspace/stage-history';

/** sessionStorage as the browser has it (Node has none). */
class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.items.set(k, v);
  }
  removeItem(k: string): void {
    this.items.delete(k);
  }
}

describe('stage history', () => {
  beforeEach(() => {
    (globalThis as { sessionStorage?: unknown }).sessionStorage = new MemoryStorage();
  });
  afterEach(() => {
    delete (globalThis as { sessionStorage?: unknown }).sessionStorage;
  });

  it('closes the open stage when the next one starts; the same stage again changes nothing', () => {
    let list = advanceStages([], 'preprocess', 1000);
    expect(advanceStages(list, 'preprocess', 1500)).toBe(list);
    list = advanceStages(list, 'multiview', 4000);
    expect(advanceStages(list, 'queued', 4100)).toBe(list); // a late 'queued' answer adds nothing
    expect(list).toEqual([
      { stage: 'preprocess', startedAt: 1000, endedAt: 4000 },
      { stage: 'multiview', startedAt: 4000, endedAt: null },
    ]);
  });

  it('a reload reads back every stage of the running job; a finished job leaves nothing behind', () => {
    const list = advanceStages(advanceStages([], 'preprocess', 1000), 'multiview', 4000);
    saveStages('job-a', list);
    expect(loadStages('job-a')).toEqual(list);
    expect(loadStages('job-b')).toEqual([]);
    forgetStages('job-a');
    expect(loadStages('job-a')).toEqual([]);
  });

  it('malformed stored data counts as no history', () => {
    sessionStorage.setItem('job.job-a.stages', '{not json');
    expect(loadStages('job-a')).toEqual([]);
    sessionStorage.setItem('job.job-a.stages', JSON.stringify([{ stage: 3 }]));
    expect(loadStages('job-a')).toEqual([]);
  });

  it('says when a run is past preprocessing (the workspace then fetches the crop and pose)', () => {
    // The pipeline's stages in order (src/engine/pipeline/generate.ts), after the queue's.
    const order = ['queued', 'starting', 'preprocess', 'multiview', 'optimise', 'evaluate', 'done'];
    expect(order.map(pastPreprocessing)).toEqual([false, false, false, true, true, true, true]);
    expect(pastPreprocessing(undefined)).toBe(false);
    expect(pastPreprocessing(null)).toBe(false);
  });
});
