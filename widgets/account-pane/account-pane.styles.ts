import { css } from 'lit';

export const accountPaneStyles = css`
  [part='base'] {
    background: var(--ck-color-surface, #ffffff);
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    overflow: hidden;
  }
  header[part='header'] {
    background: var(--ck-status-color);
    color: #ffffff;
    padding: var(--ck-space-4, 1rem) var(--ck-space-6, 1.5rem);
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-1, 0.25rem) var(--ck-space-6, 1.5rem);
    align-items: baseline;
  }
  header h2 {
    margin: 0;
    font-size: var(--ck-font-size-large, 1.25rem);
    flex-basis: 100%;
  }
  header span {
    font-size: var(--ck-font-size-small, 0.8125rem);
  }
  .body {
    padding: var(--ck-space-4, 1rem) var(--ck-space-6, 1.5rem);
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-4, 1rem);
  }
  .columns {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
    gap: var(--ck-space-4, 1rem) var(--ck-space-6, 1.5rem);
  }
  h3 {
    margin: 0 0 var(--ck-space-2, 0.5rem);
    font-size: var(--ck-font-size, 0.9375rem);
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: var(--ck-space-1, 0.25rem) var(--ck-space-3, 0.75rem);
    margin: 0;
  }
  dt {
    color: var(--ck-color-text-muted, #57606a);
  }
  dd {
    margin: 0;
  }
  .instructions {
    border-left: 4px solid var(--ck-color-status-hold, #8a4b00);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    background: var(--ck-color-surface-alt, #f4f6f8);
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  caption {
    text-align: start;
    font-weight: 600;
    margin-bottom: var(--ck-space-2, 0.5rem);
  }
  th,
  td {
    padding: var(--ck-space-1, 0.25rem) var(--ck-space-2, 0.5rem);
    border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
    text-align: start;
  }
  .num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  tfoot th,
  tfoot td {
    font-weight: 700;
    border-bottom: 0;
  }
  [role='tablist'] {
    display: flex;
    /* wrap rather than clip: on a phone every tab stays visible (Messages and Attachments were off-screen) */
    flex-wrap: wrap;
    gap: var(--ck-space-1, 0.25rem);
    border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
  }
  [role='tab'] {
    border: 0;
    border-bottom: 3px solid transparent;
    border-radius: 0;
    background: none;
    font-weight: 600;
  }
  [role='tab'][aria-selected='true'] {
    border-bottom-color: var(--ck-color-primary, #1d4ed8);
    color: var(--ck-color-primary, #1d4ed8);
  }
  .ledger-actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-2, 0.5rem);
    margin-bottom: var(--ck-space-3, 0.75rem);
  }
  [role='tabpanel'] {
    padding-top: var(--ck-space-3, 0.75rem);
  }
  ol.timeline {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  ol.timeline li {
    display: grid;
    grid-template-columns: 11rem 1fr;
    gap: var(--ck-space-3, 0.75rem);
    padding: var(--ck-space-2, 0.5rem) 0;
    border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
    /* a note holding a link without a space wraps (on a phone the pane clipped it) */
    overflow-wrap: anywhere;
  }
  .meta {
    color: var(--ck-color-text-muted, #57606a);
    font-size: var(--ck-font-size-small, 0.8125rem);
  }
  .parties {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
    gap: var(--ck-space-4, 1rem);
  }
  @container (max-width: 600px) {
    ol.timeline li {
      grid-template-columns: 1fr;
      gap: 0;
    }
  }
  :host {
    container-type: inline-size;
  }
  .toolbar {
    display: flex;
    justify-content: flex-end;
  }
  .toolbar ck-account-functions {
    display: flex;
    flex-direction: row-reverse;
    align-items: center;
    gap: var(--ck-space-3, 0.75rem);
  }
  ul.threads,
  ol.messages {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-2, 0.5rem);
  }
  ul.threads button {
    width: 100%;
    box-sizing: border-box;
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-1, 0.25rem) var(--ck-space-3, 0.75rem);
    align-items: baseline;
    text-align: left;
  }
  .unread {
    margin-left: auto;
    background: var(--ck-color-primary, #1d4ed8);
    color: var(--ck-color-on-primary, #ffffff);
    border-radius: 999px;
    padding: 0 var(--ck-space-2, 0.5rem);
    font-weight: 600;
    font-size: var(--ck-font-size-small, 0.8125rem);
  }
  ol.messages li {
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    border-radius: var(--ck-radius, 6px);
    background: var(--ck-color-surface-alt, #f4f6f8);
    max-width: 85%;
    /* a pasted link without a space wraps inside the bubble (the pane clipped it on a phone) */
    overflow-wrap: anywhere;
  }
  ol.messages li[data-side='agency'] {
    align-self: flex-end;
    background: var(--ck-color-primary-surface, #e8effd);
  }
  [part~='thread'] form {
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-2, 0.5rem);
    margin-top: var(--ck-space-3, 0.75rem);
  }
  [part~='thread'] textarea {
    font: inherit;
    border: 1px solid var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem);
    min-height: 4rem;
  }
  [part~='thread'] label {
    font-weight: 600;
  }
  [part~='thread'] h3 {
    margin-top: var(--ck-space-3, 0.75rem);
  }
`;
