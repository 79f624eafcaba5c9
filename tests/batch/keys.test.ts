/**
 * What makes a head "already made" (its key) and how the farm reads --queue: a changed setting must
 * give a new head, an unchanged one the same; a Redis URL's password and database must reach BullMQ.
 */
import { describe, expect, it } from 'vitest';
import { headSpec } from '../../src/engine/batch/head-key';
import { parseRedisUrl, redactRedisUrl } from '../../src/engine/batch/farm/connection';
import type { BatchSettings } from '../../src/engine/batch/types';

const SHA = 'a'.repeat(64);
const BASE: BatchSettings = {
  quality: 'draft',
  elevationDeg: 'auto',
  backend: 'default',
  presets: ['unity', 'web'],
};

describe('batch head keys', () => {
  it('same portrait, seed and settings: the same head; any change: another head', () => {
    const a = headSpec('Jane Doe (1).png', '/x/Jane Doe (1).png', SHA, 0, BASE);
    expect(a.id).toMatch(/^Jane-Doe-1-s0-[0-9a-f]{8}$/);
    expect(headSpec('copy.png', '/y/copy.png', SHA, 0, { ...BASE, presets: ['web', 'unity'] }).key).toBe(
      a.key,
    );
    const changed = [
      headSpec('x.png', '', SHA, 1, BASE),
      headSpec('x.png', '', 'b'.repeat(64), 0, BASE),
      headSpec('x.png', '', SHA, 0, { ...BASE, quality: 'standard' }),
      headSpec('x.png', '', SHA, 0, { ...BASE, steps: 10 }),
      headSpec('x.png', '', SHA, 0, { ...BASE, elevationDeg: 10 }),
      headSpec('x.png', '', SHA, 0, { ...BASE, presets: ['unity'] }),
    ];
    expect(new Set([a.key, ...changed.map((s) => s.key)]).size).toBe(7);
  });
});

describe('--queue URLs', () => {
  it('reads host, port, password, database and TLS, and hides the password in reports', () => {
    expect(parseRedisUrl('redis://:s3cret@farm.local:6380/2')).toMatchObject({
      host: 'farm.local',
      port: 6380,
      password: 's3cret',
      db: 2,
    });
    expect(parseRedisUrl('rediss://h')).toMatchObject({ host: 'h', port: 6379, tls: {} });
    expect(redactRedisUrl('redis://:s3cret@farm.local:6380/2')).not.toContain('s3cret');
    expect(() => parseRedisUrl('http://h:6379')).toThrow(/redis:\/\//);
    expect(() => parseRedisUrl('redis://h/queue')).toThrow(/database number/);
  });
});
