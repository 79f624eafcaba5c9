/**
 * The gallery's batch: the portraits waiting in the batch dialog (null while it is closed) and the
 * projects of the batch queued last, kept in sessionStorage so the progress strip survives a reload.
 */
import { useCallback, useState } from 'react';

const KEY = 'gallery.batch';

function loadIds(): string[] {
  try {
    const ids = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export interface GalleryBatch {
  /** Files for the dialog; null while it is closed. */
  files: File[] | null;
  open(files?: File[]): void;
  close(): void;
  /** The projects of the batch queued last ([] when none or put away). */
  projectIds: string[];
  queued(projectIds: string[]): void;
  dismiss(): void;
}

export function useGalleryBatch(): GalleryBatch {
  const [files, setFiles] = useState<File[] | null>(null);
  const [projectIds, setProjectIds] = useState<string[]>(loadIds);
  const remember = useCallback((ids: string[]) => {
    setProjectIds(ids);
    if (ids.length) sessionStorage.setItem(KEY, JSON.stringify(ids));
    else sessionStorage.removeItem(KEY);
  }, []);
  return {
    files,
    open: useCallback((more: File[] = []) => setFiles(more), []),
    close: useCallback(() => setFiles(null), []),
    projectIds,
    queued: remember,
    dismiss: useCallback(() => remember([]), [remember]),
  };
}
