/** The navigation guard's notion of "the studio's own page" (src/main/app-page.ts, issue 20). */
import { describe, expect, it } from 'vitest';
import { isAppPage } from '../../src/main/app-page';

describe('isAppPage', () => {
  it('development: only the dev server page itself, not other http hosts or ports', () => {
    const dev = 'http://localhost:5173/';
    expect(isAppPage(dev, 'http://localhost:5173/')).toBe(true);
    expect(isAppPage(dev, 'http://localhost:5173/?reload=1#x')).toBe(true);
    expect(isAppPage(dev, 'http://evil.example/')).toBe(false);
    expect(isAppPage(dev, 'http://localhost:8080/')).toBe(false);
    expect(isAppPage(dev, 'http://127.0.0.1:5173/')).toBe(false);
    expect(isAppPage(dev, 'http://user:pw@localhost:5173/')).toBe(false);
    expect(isAppPage(dev, 'https://localhost:5173/')).toBe(false);
  });

  it('production: the bundled file only', () => {
    const prod = 'file:///opt/HeadForge/resources/app/out/renderer/index.html';
    expect(isAppPage(prod, prod)).toBe(true);
    expect(isAppPage(prod, 'file:///etc/passwd')).toBe(false);
    expect(isAppPage(prod, 'file://server/opt/HeadForge/resources/app/out/renderer/index.html')).toBe(false);
    expect(isAppPage(prod, 'not a url')).toBe(false);
  });
});
