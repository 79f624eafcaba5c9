/** Search and sort of the gallery's project cards (pure, so it is tested without a browser). */
import type { ProjectSummary } from '../../shared/contracts/studio-api';

export type GallerySort = 'updated-desc' | 'updated-asc' | 'created-desc' | 'name-asc' | 'name-desc';

export const SORT_LABELS: Record<GallerySort, string> = {
  'updated-desc': 'Recently updated',
  'updated-asc': 'Least recently updated',
  'created-desc': 'Newest first',
  'name-asc': 'Name A–Z',
  'name-desc': 'Name Z–A',
};

/** Case- and accent-insensitive match of every whitespace-separated term against name or id. */
export function matchesSearch(project: ProjectSummary, query: string): boolean {
  const fold = (s: string): string => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
  const haystack = fold(`${project.name} ${project.id}`);
  return fold(query)
    .split(/\s+/)
    .filter(Boolean)
    .every((term) => haystack.includes(term));
}

export function orderProjects(projects: readonly ProjectSummary[], query: string, sort: GallerySort): ProjectSummary[] {
  const byName = (a: ProjectSummary, b: ProjectSummary): number =>
    a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }) || a.id.localeCompare(b.id);
  const compare: Record<GallerySort, (a: ProjectSummary, b: ProjectSummary) => number> = {
    'updated-desc': (a, b) => b.updatedAt.localeCompare(a.updatedAt) || byName(a, b),
    'updated-asc': (a, b) => a.updatedAt.localeCompare(b.updatedAt) || byName(a, b),
    'created-desc': (a, b) => b.createdAt.localeCompare(a.createdAt) || byName(a, b),
    'name-asc': byName,
    'name-desc': (a, b) => byName(b, a),
  };
  return projects.filter((p) => matchesSearch(p, query)).sort(compare[sort]);
}

/** Project name from a dropped file name: extension dropped, separators turned into spaces. */
export function projectNameFromFile(fileName: string): string {
  const stem = fileName.replace(/\.[^.]+$/, '').replace(/[_]+/g, ' ').trim();
  return (stem || 'Untitled portrait').slice(0, 200);
}
