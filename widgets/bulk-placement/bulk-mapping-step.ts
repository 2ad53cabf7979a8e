/**
 * Bulk placement's mapping step: which column of the file fills each field (suggested, remembered,
 * or the draft saved), how sure each suggestion is and the values it was based on, and the run to
 * start (a dry run, or placing). It renders from the element's state and calls back into the
 * element; it keeps no state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Uploaded } from './bulk-upload-step.js';
import type { Mapping, MappingDraft } from './mapping-draft.js';

type Suggestion = Uploaded['suggestions'][number];

const BASIS: Record<Suggestion['basis'], string> = {
  remembered: 'your last mapping', agency: 'the same columns from another client', header: 'the column name', values: 'the values only',
};

export interface MappingState {
  mapping: Mapping;
  /** the start's errors, by field */
  errors: Record<string, string>;
  /** fields whose column the person chose or confirmed (no longer highlighted) */
  reviewed: ReadonlySet<string>;
  busy: boolean;
  draft: Pick<MappingDraft, 'state' | 'problem'>;
}

export interface MappingHandlers {
  /** a column chosen for a field ('' for none) */
  onChoose(field: string, column: string): void;
  onStart(mode: 'validate' | 'place'): void;
  /** "Choose another file": back to the first step, the upload kept */
  onAnother(): void;
  /** "Discard this spreadsheet": asks first, then deletes the upload */
  onDiscard(event: Event): void;
}

function renderDraftState(d: MappingState['draft']): TemplateResult {
  const text = d.state === 'saving' ? 'Saving your mapping…'
    : d.state === 'saved' ? 'Mapping saved: you can leave and continue it later from My placements.'
    : d.state === 'failed' ? `Your mapping could not be saved: ${d.problem}` : '';
  return html`<p class="hint" data-field="draft" data-state=${d.state || nothing}>${text}</p>`;
}

export function renderMappingStep(u: Uploaded, st: MappingState, on: MappingHandlers): TemplateResult {
  const columns = u.columns;
  const toCheck = (u.suggestions ?? []).filter((x) => x.review && st.mapping[x.field] === x.column && !st.reviewed.has(x.field)).length;
  return html`
    <section aria-labelledby="map-title">
      <h3 id="map-title" tabindex="-1">Match your columns</h3>
      <p class="hint">${'savedMapping' in u && u.savedMapping ? 'The mapping you saved for this file is filled in.' : u.mappingSource === 'remembered' ? 'Your last mapping for this client is filled in.' : u.mappingSource === 'agency' ? 'Filled in from the last file with these columns.' : 'Suggested from the column names and values.'}
        ${toCheck ? html`<strong data-review-count>${toCheck === 1 ? '1 suggested column needs' : `${toCheck} suggested columns need`} a check (highlighted).</strong>` : nothing}
        ${u.fileName} · ${u.client.name}${u.sameFileAs ? ' · This file was uploaded before: rows already placed will be reported as duplicates.' : ''}</p>
      <div class="scroll">
        <table part="mapping">
          <thead><tr><th scope="col">Field</th><th scope="col">Column in your file</th><th scope="col">Values</th></tr></thead>
          <tbody>
            ${u.fields.map((f) => {
              const error = st.errors[f.field] ?? '';
              const col = st.mapping[f.field] ?? '';
              // the suggestion still stands only while its column is the one chosen
              const s = (u.suggestions ?? []).find((x) => x.field === f.field && x.column === col);
              const review = Boolean(s?.review) && !st.reviewed.has(f.field);
              const samples = s ? (s.preview?.length ? s.samples.map((v, i) => `${v} → ${s.preview![i]}`) : s.samples) : col ? [u.sampleRows[0]?.[columns.indexOf(col)] ?? ''] : [];
              const nameRule = (f.field === 'firstName' || f.field === 'lastName') && f.required ? ' (required, or Full name)' : f.required ? ' (required)' : '';
              return html`<tr data-field=${f.field} ?data-review=${review} part=${review ? 'review' : nothing}>
                <th scope="row"><label for="map-${f.field}">${f.label}${nameRule}</label></th>
                <td>
                  <select part="input" id="map-${f.field}" data-field=${f.field} aria-invalid=${error ? 'true' : 'false'} aria-describedby="map-${f.field}-error map-${f.field}-basis"
                    @change=${(e: Event) => on.onChoose(f.field, (e.target as HTMLSelectElement).value)}>
                    <option value="" ?selected=${!col}>— not in my file —</option>
                    ${columns.map((c) => html`<option value=${c} ?selected=${c === col}>${c}</option>`)}
                  </select>
                  <span class="error" part="field-error" id="map-${f.field}-error">${error}</span>
                </td>
                <td>
                  <span>${samples.join(' · ')}</span>
                  <span class="basis" part="suggestion" id="map-${f.field}-basis">${s
                    ? html`${review ? html`<strong>Check this column: </strong>` : nothing}${Math.round(s.confidence * 100)} % sure, from ${BASIS[s.basis]}`
                    : nothing}</span>
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      ${renderDraftState(st.draft)}
      <div class="actions">
        <button part="button" type="button" data-action="validate" ?disabled=${st.busy} @click=${() => on.onStart('validate')}>Check the file first</button>
        <button class="primary" part="button" type="button" data-action="place" ?disabled=${st.busy} @click=${() => on.onStart('place')}>Place accounts</button>
        <button part="button" type="button" @click=${on.onAnother}>Choose another file</button>
        <button part="button" type="button" data-action="discard" @click=${on.onDiscard}>Discard this spreadsheet</button>
      </div>
    </section>
  `;
}
