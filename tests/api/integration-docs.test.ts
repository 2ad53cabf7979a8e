/**
 * Issue 22: docs/integration.md is executable. The curl walkthrough is extracted from the markdown
 * and run as written (bash, curl, jq) against a test server; the event catalogue in the markdown and
 * in the OpenAPI document is the list the code appends from.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { EVENT_TYPE_NAMES, EVENT_TYPES } from '../../api/platform/event-types.js';
import { withCatalogue } from '../../scripts/event-catalogue.js';

const DOC = readFileSync(new URL('../../docs/integration.md', import.meta.url), 'utf8');

/** The ```sh block of a section, as written. */
function shellBlock(heading: string): string {
  const section = DOC.slice(DOC.indexOf(`## ${heading}`));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error(`no sh block under "${heading}"`);
  return m[1]!;
}

describe('docs/integration.md: the event catalogue', () => {
  it('is the list the code appends from (generated; no type missing or extra)', () => {
    expect(withCatalogue(DOC)).toBe(DOC);
    const documented = [...DOC.matchAll(/^\| `([a-z_.]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(EVENT_TYPE_NAMES);
  });
});

describe.each(DIALECTS)('docs/integration.md runs as written (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    // as the walkthrough says: its webhook receiver is on localhost
    api = await startTestApi(dialect, { accounts: 20, config: { webhookAllowPrivate: true } });
  });
  afterAll(() => api.close());

  // async: the test server answers from this very process
  const runWalkthrough = () => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', ['-c', `set -euo pipefail\n${shellBlock('A walkthrough with curl')}`], { env: { ...process.env, API: api.url } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });

  it('the curl walkthrough: every step succeeds, and a second run changes nothing', async () => {
    const first = await runWalkthrough();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).not.toContain('"status":"error"');
    expect(first.stdout).not.toMatch(/"status":4\d\d/);
    expect(first.stdout).toContain('{"index":0,"key":"NW-9000001","status":"created"');
    expect(first.stdout).toMatch(/"counts":\{"created":2,"updated":0,"unchanged":0,"failed":0\}/); // the NDJSON activity
    expect(first.stdout).toContain('"account.created"'); // the feed, read with jq
    expect(first.stdout).toMatch(/^whsec_/m); // the webhook's secret
    const account = await api.db('accounts').where({ agencyAccountNumber: 'NW-9000001' }).first();
    expect(account).toMatchObject({ clientAccountNumber: 'CP-1', debtorName: 'DOE, JANE' });
    expect(await api.db('activity').where({ accountId: account.id }).whereIn('external_id', ['N-1', 'N-2'])).toHaveLength(2);

    const second = await runWalkthrough();
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('{"index":0,"key":"NW-9000001","status":"unchanged"');
    expect(second.stdout).toMatch(/"counts":\{"created":0,"updated":0,"unchanged":2,"failed":0\}/);
  }, 120_000);

  it('the OpenAPI document lists every event type with its data schema', async () => {
    const doc = (await api.request('/openapi.json')).body;
    expect(doc['x-event-types']).toEqual(EVENT_TYPE_NAMES);
    for (const t of EVENT_TYPE_NAMES) {
      const s = doc.components.schemas[`Event.${t}`];
      expect(s, t).toBeDefined();
      expect(s.description).toContain(EVENT_TYPES[t].when);
      expect(Object.keys(s.properties)).toEqual(Object.keys(EVENT_TYPES[t].payload.shape));
    }
  });
});
