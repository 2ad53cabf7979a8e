import { css } from 'lit';

/** Shared by ck-new-account and ck-bulk-placement: grouped fields that reflow on narrow screens. */
export const placementFormStyles = css`
  [part~='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-4, 1rem);
  }
  fieldset {
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-3, 0.75rem) var(--ck-space-4, 1rem);
    margin: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
    gap: var(--ck-space-3, 0.75rem);
  }
  fieldset > legend {
    padding: 0 var(--ck-space-1, 0.25rem);
  }
  .wide {
    grid-column: 1 / -1;
  }
  details {
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-4, 1rem);
  }
  details > fieldset {
    border: 0;
    padding: var(--ck-space-2, 0.5rem) 0 0;
  }
  summary {
    cursor: pointer;
    font-weight: 600;
    min-height: 2rem;
    display: flex;
    align-items: center;
  }
  textarea {
    font: inherit;
    color: inherit;
    border: 1px solid var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    width: 100%;
    min-height: 5rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-2, 0.5rem);
  }
  .panel {
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    background: var(--ck-color-surface-alt, #f4f6f8);
    padding: var(--ck-space-3, 0.75rem) var(--ck-space-4, 1rem);
  }
  .panel h3 {
    margin: 0 0 var(--ck-space-2, 0.5rem);
    font-size: var(--ck-font-size, 0.9375rem);
  }
  .panel ul {
    margin: 0;
    padding-left: 1.25rem;
  }
  .success {
    border-color: var(--ck-color-status-active, #146c2e);
  }
  del {
    color: var(--ck-color-text-muted, #57606a);
  }
  ins {
    text-decoration: none;
    font-weight: 600;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: var(--ck-space-1, 0.25rem) var(--ck-space-2, 0.5rem);
    border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
    vertical-align: top;
  }
  .scroll {
    overflow-x: auto;
  }
  progress {
    width: 100%;
    height: 1rem;
  }
  .drop {
    border: 2px dashed var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-6, 1.5rem);
    text-align: center;
  }
  .drop[data-over] {
    border-color: var(--ck-color-primary, #1d4ed8);
    background: var(--ck-color-selected, #eef4ff);
  }
  .counts {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-2, 0.5rem) var(--ck-space-6, 1.5rem);
    margin: 0;
  }
  .counts div {
    display: flex;
    flex-direction: column;
  }
  .counts dt {
    color: var(--ck-color-text-muted, #57606a);
    font-size: var(--ck-font-size-small, 0.8125rem);
  }
  .counts dd {
    margin: 0;
    font-size: var(--ck-font-size-large, 1.25rem);
    font-weight: 600;
  }
`;
