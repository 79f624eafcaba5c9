/**
 * Which of the files a user gave a batch are portraits: images by their extension (what the import
 * button accepts), in name order, each once; the rest are listed as skipped with a reason, hidden files
 * (.DS_Store, ._foo.jpg) left out silently. A dropped folder is walked through the drag's file-system
 * entries (one level deep, as `headforge batch` reads a folder): Chromium gives a dropped folder
 * as a single empty File otherwise.
 */
import { IMAGE_ACCEPT } from './ImportButton';

export interface BatchFiles {
  portraits: File[];
  skipped: { name: string; reason: string }[];
}

const IMAGE_EXTENSIONS = new Set(IMAGE_ACCEPT.split(',').filter((t) => t.startsWith('.')));

/** The file's name without the folder a folder input puts before it (webkitRelativePath). */
function baseName(file: File): string {
  return file.name.split('/').pop() ?? file.name;
}

export function sortBatchFiles(files: readonly File[]): BatchFiles {
  const portraits: File[] = [];
  const skipped: BatchFiles['skipped'] = [];
  const seen = new Set<string>();
  for (const file of [...files].sort((a, b) => baseName(a).localeCompare(baseName(b)))) {
    const name = baseName(file);
    if (name.startsWith('.')) continue;
    const key = `${name}\u0000${file.size}\u0000${file.lastModified}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.')).toLowerCase() : '';
    if (!IMAGE_EXTENSIONS.has(ext)) skipped.push({ name, reason: 'not an image' });
    else if (file.size === 0) skipped.push({ name, reason: 'an empty file' });
    else portraits.push(file);
  }
  return { portraits, skipped };
}

/** The parts of the File and Directory Entries API a dropped folder is read through. */
export interface DroppedEntry {
  isFile: boolean;
  isDirectory: boolean;
  file?(ok: (f: File) => void, fail: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: DroppedEntry[]) => void, fail: (e: unknown) => void): void };
}

/** The files of the dropped entries, with the files of dropped folders (not of their sub-folders). */
export async function filesOfEntries(entries: readonly DroppedEntry[]): Promise<File[]> {
  const files: File[] = [];
  const fileOf = (e: DroppedEntry): Promise<File> => new Promise((ok, fail) => e.file!(ok, fail));
  for (const entry of entries) {
    if (entry.isFile) files.push(await fileOf(entry));
    else if (entry.isDirectory) {
      const reader = entry.createReader!();
      // readEntries hands out a folder's entries in pages until it returns an empty one.
      for (;;) {
        const page = await new Promise<DroppedEntry[]>((ok, fail) => reader.readEntries(ok, fail));
        if (page.length === 0) break;
        for (const child of page) if (child.isFile) files.push(await fileOf(child));
      }
    }
  }
  return files;
}

/**
 * A drop that holds a folder, as a promise of its files; null for a drop of plain files. Must be called
 * in the drop event itself: the browser takes the entries back when the event ends.
 */
export function droppedFolder(data: DataTransfer): Promise<File[]> | null {
  const entries = Array.from(data.items)
    .map((item) => item.webkitGetAsEntry() as DroppedEntry | null)
    .filter((e): e is DroppedEntry => e !== null);
  return entries.some((e) => e.isDirectory) ? filesOfEntries(entries) : null;
}
