/**
 * The class of defect behind "main is red on a later date": a row stamped by the real clock and read
 * back by a test's fixed one. Every business time in api/ comes from api/platform/clock.ts; this test
 * fails the build on a `new Date()` / `Date.now()` anywhere else (durations use performance.now()).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettableClock, now, nowMs, useClock } from '../../api/platform/clock.js';

const API = join(import.meta.dirname, '../../api');
const ALLOWED = new Set(['platform/clock.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('one clock', () => {
  it('no file in api/ reads the real clock except api/platform/clock.ts', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(API)) {
      const rel = relative(API, file);
      if (ALLOWED.has(rel)) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        if (/\bnew Date\(\s*\)|\bDate\.now\(\s*\)/.test(code)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('useClock moves every reader and puts the previous clock back', () => {
    const clock = new SettableClock('2031-06-01T12:00:00Z');
    const restore = useClock(clock);
    try {
      expect(now().toISOString().slice(0, 16)).toBe('2031-06-01T12:00');
      clock.advance(86_400_000);
      expect(nowMs()).toBeGreaterThanOrEqual(Date.parse('2031-06-02T12:00:00Z'));
      const a = nowMs();
      expect(nowMs()).toBeGreaterThanOrEqual(a); // a settable clock still runs forward
    } finally {
      restore();
    }
    expect(Math.abs(nowMs() - new Date().getTime())).toBeLessThan(5_000);
  });
});
