/** Hash routing ('#/' gallery, '#/project/<id>' workspace): survives a window reload, needs no server routes. */
import { useEffect, useState } from 'react';

export type Route = { page: 'gallery' } | { page: 'project'; projectId: string };

export function parseHash(hash: string): Route {
  const m = /^#\/project\/([a-z0-9][a-z0-9-]{0,63})$/.exec(hash);
  return m ? { page: 'project', projectId: m[1] } : { page: 'gallery' };
}

export function routeHash(route: Route): string {
  return route.page === 'project' ? `#/project/${route.projectId}` : '#/';
}

export function useHashRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return [route, (next) => (window.location.hash = routeHash(next))];
}
