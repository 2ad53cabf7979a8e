/**
 * Where a new file's suggested mapping comes from, in order: this client's remembered mapping (when
 * every column it names is in the file), then the agency's most recent mapping for the same header
 * set from any client (a second client on the same billing system), then the headers and values
 * themselves (mapping-suggest.ts). Only column names cross clients, never a value.
 */
import { createHash } from 'node:crypto';
import type { Trx } from '../platform/db.js';
import { mappingErrors, type ColumnMapping } from './bulk-row.js';
import { suggestFromHeaders, suggestionsFor, toMapping, type Suggestion } from './mapping-suggest.js';

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The same headers in any order, case or punctuation give the same key. */
export function headerSetKey(headers: string[]): string {
  const set = [...new Set(headers.map(squash).filter(Boolean))].sort();
  return createHash('sha256').update(set.join('\n')).digest('hex');
}

/** `mapping`'s columns renamed to this file's spelling of the same header; null when one is missing. */
function translate(mapping: ColumnMapping, headers: string[]): ColumnMapping | null {
  const bySquash = new Map(headers.map((h) => [squash(h), h]));
  const out: ColumnMapping = {};
  for (const [field, column] of Object.entries(mapping) as [keyof ColumnMapping, string][]) {
    if (!column) continue;
    const own = bySquash.get(squash(column));
    if (!own) return null;
    out[field] = own;
  }
  return mappingErrors(out, headers).length ? null : out;
}

export interface SuggestedMapping { mapping: ColumnMapping; source: 'remembered' | 'agency' | 'headers'; suggestions: Suggestion[] }

export async function suggestedMapping(trx: Trx, clientId: number, headers: string[], samples: string[][]): Promise<SuggestedMapping> {
  const own = (await trx('placement_column_maps').where({ clientId }).first('mapping_json')) as { mappingJson: string } | undefined;
  const remembered = own ? translate(JSON.parse(own.mappingJson) as ColumnMapping, headers) : null;
  if (remembered && Object.values(remembered).every((h) => !h || headers.includes(h))) {
    return { mapping: remembered, source: 'remembered', suggestions: suggestionsFor(remembered, headers, samples, 'remembered', 1) };
  }
  const agency = (await trx('placement_header_maps').where({ headerSetSha: headerSetKey(headers) }).first('mapping_json')) as { mappingJson: string } | undefined;
  const shared = agency ? translate(JSON.parse(agency.mappingJson) as ColumnMapping, headers) : null;
  if (shared) return { mapping: shared, source: 'agency', suggestions: suggestionsFor(shared, headers, samples, 'agency', 0.9) };
  const suggestions = suggestFromHeaders(headers, samples);
  return { mapping: toMapping(suggestions), source: 'headers', suggestions };
}

/** The agency's most recent mapping for this header set (any client), kept for the next client's file. */
export async function rememberHeaderSet(trx: Trx, clientId: number, headers: string[], mapping: ColumnMapping, now: Date): Promise<void> {
  await trx('placement_header_maps')
    .insert({ headerSetSha: headerSetKey(headers), clientId, mappingJson: JSON.stringify(mapping), updatedAt: now })
    .onConflict('header_set_sha').merge(['client_id', 'mapping_json', 'updated_at']);
}
