/**
 * A killed API node must not leave its PDF pool's Chromium behind (issue 20, item 9): with the
 * DevTools connection on a pipe, the browser sees its parent's end close when the parent dies —
 * however it dies — and exits with it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The pids of every descendant of `pid` (ps: pid, ppid). */
function descendants(pid: number): number[] {
  const rows = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of rows) if (parent === p) { out.push(child); walk(child); }
  };
  walk(pid);
  return out;
}
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout);

describe.runIf(existsSync('/usr/bin/chromium'))('the PDF pool when its process is killed', () => {
  it('takes its Chromium processes with it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/api/fixtures/pdf-pool-child.ts'], { env: { ...process.env, CHROMIUM_PATH: '/usr/bin/chromium' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => out.includes('printed') && resolve());
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const browsers = descendants(child.pid!);
    expect(browsers.length).toBeGreaterThan(0);
    child.kill('SIGKILL'); // no chance to close the browser itself
    const until = Date.now() + 10_000;
    while (browsers.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const left = browsers.filter(alive);
    for (const pid of left) process.kill(pid, 'SIGKILL'); // do not leave them to the next test either
    expect(left).toEqual([]);
  }, 60_000);
});
