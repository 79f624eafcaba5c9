/**
 * The studio batch's pure parts: which files of a chosen or dropped folder are portraits (and why the
 * others are skipped), a dropped folder read through its entries one level deep, the batch's counts
 * from the cards' states, and queueing that goes on past a refused portrait.
 */
import { describe, expect, it } from 'vitest';
import type { ProjectSummary, RunSettings } from '../../src/shared/contracts/studio-api';
import { filesOfEntries, sortBatchFiles, type DroppedEntry } from '../../src/renderer/gallery/batch-files';
import { batchCounts, batchLine } from '../../src/renderer/gallery/batch-state';
import { queueBatch } from '../../src/renderer/gallery/queue-batch';

const file = (name: string, size = 10): File => new File([new Uint8Array(size)], name);
const names = (files: File[]): string[] => files.map((f) => f.name);

function fileEntry(f: File): DroppedEntry {
  return { isFile: true, isDirectory: false, file: (ok) => ok(f) };
}
function folderEntry(children: DroppedEntry[], pageSize = 2): DroppedEntry {
  let at = 0;
  return {
    isFile: false,
    isDirectory: true,
    createReader: () => ({
      readEntries: (ok) => {
        ok(children.slice(at, at + pageSize));
        at += pageSize;
      },
    }),
  };
}

describe('batch files', () => {
  it('keeps the images in name order, names what it skips, drops hidden files and duplicates', () => {
    const a = file('b.JPG');
    const { portraits, skipped } = sortBatchFiles([
      a,
      file('notes.txt'),
      file('a.png'),
      file('.DS_Store'),
      file('empty.webp', 0),
      a,
    ]);
    expect(names(portraits)).toEqual(['a.png', 'b.JPG']);
    expect(skipped).toEqual([
      { name: 'empty.webp', reason: 'an empty file' },
      { name: 'notes.txt', reason: 'not an image' },
    ]);
  });

  it('reads a dropped folder page by page, one level deep, beside dropped files', async () => {
    const nested = folderEntry([fileEntry(file('deep.png'))]);
    const dropped = [
      fileEntry(file('loose.png')),
      folderEntry([
        fileEntry(file('one.png')),
        nested,
        fileEntry(file('two.jpg')),
        fileEntry(file('three.png')),
      ]),
    ];
    expect(names(await filesOfEntries(dropped))).toEqual(['loose.png', 'one.png', 'two.jpg', 'three.png']);
  });
});

describe('batch state', () => {
  const project = (id: string, rest: Partial<ProjectSummary>): ProjectSummary => ({
    id,
    name: id,
    createdAt: '',
    updatedAt: '',
    thumbnailUrl: null,
    runCount: 1,
    status: 'ok',
    ...rest,
  });
  it('counts the batch’s projects by their cards’ states, ignoring others and deleted ones', () => {
    const projects = [
      project('a', { lastRunState: 'done' }),
      project('b', {
        activeJob: { jobId: 'j1', stage: 'optimise', fraction: 0.5, state: 'running', kind: 'generate' },
      }),
      project('c', {
        activeJob: { jobId: 'j2', stage: 'queued', fraction: 0, state: 'queued', kind: 'generate' },
      }),
      project('d', { lastRunState: 'failed' }),
      project('e', { runCount: 0 }),
      project('not-in-batch', { lastRunState: 'failed' }),
    ];
    const counts = batchCounts(['a', 'b', 'c', 'd', 'e', 'deleted'], projects);
    expect(counts).toEqual({ total: 5, queued: 2, running: 1, done: 1, failed: 1 });
    expect(batchLine(counts)).toBe('1 of 5 done · 1 running · 2 queued · 1 failed');
  });
});

describe('queueing a batch', () => {
  it('makes a project and starts a run per portrait with the same settings, past a refused one', async () => {
    const settings: RunSettings = { elevationDeg: 'auto', seed: 7, quality: 'draft', backend: 'default' };
    const started: { projectId: string; settings: RunSettings }[] = [];
    const api = {
      createProject: async ({ name }: { name: string }) => {
        if (name === 'broken')
          throw Object.assign(new Error('broken.png is not an image HeadForge can read'), {
            code: 'INVALID_IMAGE',
          });
        return {
          id: `id-${name}`,
          name,
          inputWarning: name === 'sky' ? 'no face' : undefined,
        } as ProjectSummary;
      },
      startRun: async (req: { projectId: string; settings: RunSettings }) => {
        started.push(req);
        return {} as never;
      },
    };
    const progress: number[] = [];
    const result = await queueBatch(
      api as never,
      [file('ada.png'), file('broken.png'), file('sky.png')],
      settings,
      (n) => progress.push(n),
    );
    expect(result.projectIds).toEqual(['id-ada', 'id-sky']);
    expect(result.refused).toEqual([
      { name: 'broken.png', reason: expect.stringContaining('not an image HeadForge can read') },
    ]);
    expect(result.noFace).toEqual(['sky.png']);
    expect(started).toEqual([
      { projectId: 'id-ada', settings },
      { projectId: 'id-sky', settings },
    ]);
    expect(progress).toEqual([1, 2, 3]);
  });
});
