/**
 * The event catalogue in docs/integration.md is generated from api/platform/event-types.ts:
 *   npx tsx scripts/event-catalogue.ts          checks (exit 1 when the docs differ)
 *   npx tsx scripts/event-catalogue.ts --write  rewrites the table between the markers
 * tests/api/integration-docs.test.ts runs the same check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { eventCatalogueMarkdown } from '../api/platform/event-types.js';

export const DOC = new URL('../docs/integration.md', import.meta.url);
const START = '<!-- event-catalogue:start (generated from api/platform/event-types.ts: npx tsx scripts/event-catalogue.ts --write) -->';
const END = '<!-- event-catalogue:end -->';

export function withCatalogue(markdown: string): string {
  const a = markdown.indexOf(START);
  const b = markdown.indexOf(END);
  if (a < 0 || b < a) throw new Error('docs/integration.md lacks the event-catalogue markers');
  return `${markdown.slice(0, a + START.length)}\n${eventCatalogueMarkdown()}\n${markdown.slice(b)}`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const current = readFileSync(DOC, 'utf8');
  const next = withCatalogue(current);
  if (process.argv.includes('--write')) {
    writeFileSync(DOC, next);
    console.log('docs/integration.md: event catalogue written.');
  } else if (next !== current) {
    console.error('docs/integration.md: the event catalogue differs from api/platform/event-types.ts; run with --write.');
    process.exit(1);
  } else {
    console.log('docs/integration.md: event catalogue up to date.');
  }
}
