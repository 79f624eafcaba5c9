import { describe, expect, it } from 'vitest';
import type { ProjectSummary } from '../../src/shared/contracts/studio-api';
import { matchesSearch, orderProjects, projectNameFromFile } from '../../src/renderer/gallery/gallery-order';
import { parseHash, routeHash } from '../../src/renderer/common/useHashRoute';

const project = (id: string, name: string, createdAt: string, updatedAt: string): ProjectSummary => ({
  id,
  name,
  createdAt,
  updatedAt,
  thumbnailUrl: null,
  runCount: 0,
  status: 'ok',
});

const list = [
  project('a', 'Zoë portrait', '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z'),
  project('b', 'adam side', '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z'),
  project('c', 'Portrait 10', '2026-03-01T00:00:00Z', '2026-01-01T00:00:00Z'),
  project('d', 'Portrait 9', '2026-01-15T00:00:00Z', '2026-01-02T00:00:00Z'),
];

describe('gallery search and sort', () => {
  it('matches every term, ignoring case and accents', () => {
    expect(matchesSearch(list[0], 'zoe')).toBe(true);
    expect(matchesSearch(list[0], 'PORTRAIT zo')).toBe(true);
    expect(matchesSearch(list[0], 'portrait adam')).toBe(false);
    expect(orderProjects(list, '', 'name-asc')).toHaveLength(4);
  });

  it('sorts by name naturally (9 before 10) and by dates both ways', () => {
    expect(orderProjects(list, '', 'name-asc').map((p) => p.id)).toEqual(['b', 'd', 'c', 'a']);
    expect(orderProjects(list, '', 'name-desc').map((p) => p.id)).toEqual(['a', 'c', 'd', 'b']);
    expect(orderProjects(list, '', 'updated-desc').map((p) => p.id)).toEqual(['a', 'b', 'd', 'c']);
    expect(orderProjects(list, '', 'updated-asc').map((p) => p.id)).toEqual(['c', 'd', 'b', 'a']);
    expect(orderProjects(list, '', 'created-desc').map((p) => p.id)).toEqual(['c', 'b', 'd', 'a']);
    expect(orderProjects(list, 'portrait', 'name-asc').map((p) => p.id)).toEqual(['d', 'c', 'a']);
  });

  it('names projects after the file without its extension', () => {
    expect(projectNameFromFile('hq-0002-matted-rgba.png')).toBe('hq-0002-matted-rgba');
    expect(projectNameFromFile('my_best_shot.final.JPG')).toBe('my best shot.final');
    expect(projectNameFromFile('.png')).toBe('Untitled portrait');
  });

  it('routes only well-formed project ids to the workspace', () => {
    expect(parseHash('#/project/abc-12')).toEqual({ page: 'project', projectId: 'abc-12' });
    expect(parseHash('#/project/../etc')).toEqual({ page: 'gallery' });
    expect(parseHash('')).toEqual({ page: 'gallery' });
    expect(routeHash({ page: 'project', projectId: 'x1' })).toBe('#/project/x1');
  });
});
