import { css } from 'lit';

export const accountSearchStyles = css`
  :host {
    container-type: inline-size;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-4, 1rem);
  }
  form {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
    gap: var(--ck-space-3, 0.75rem);
    align-items: end;
  }
  fieldset {
    grid-column: span 2;
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: var(--ck-space-2, 0.5rem);
    margin: 0;
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem) var(--ck-space-3, 0.75rem);
  }
  .actions {
    display: flex;
    gap: var(--ck-space-2, 0.5rem);
    grid-column: 1 / -1;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    background: var(--ck-color-surface, #ffffff);
  }
  caption {
    text-align: start;
  }
  th,
  td {
    text-align: start;
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
    vertical-align: top;
  }
  th {
    font-size: var(--ck-font-size-small, 0.8125rem);
    background: var(--ck-color-surface-alt, #f4f6f8);
    padding: 0;
  }
  th button {
    all: unset;
    box-sizing: border-box;
    display: flex;
    width: 100%;
    gap: var(--ck-space-1, 0.25rem);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    font-weight: 600;
    cursor: pointer;
  }
  th button:focus-visible {
    outline: 2px solid var(--ck-color-focus, #1d4ed8);
    outline-offset: -2px;
  }
  .num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  th.num button {
    justify-content: flex-end;
  }
  tbody tr {
    cursor: pointer;
  }
  tbody tr:hover,
  tbody tr[aria-current='true'] {
    background: var(--ck-color-selected, #e8effd);
  }
  tbody tr:focus-visible {
    outline: 2px solid var(--ck-color-focus, #1d4ed8);
    outline-offset: -2px;
  }
  .sub {
    display: block;
    color: var(--ck-color-text-muted, #57606a);
    font-size: var(--ck-font-size-small, 0.8125rem);
  }
  .pager {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--ck-space-3, 0.75rem);
    flex-wrap: wrap;
  }
  .pager div {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--ck-space-2, 0.5rem);
  }
  .pager select {
    width: auto;
  }
  .results[aria-busy='true'] table {
    opacity: 0.6;
  }
  .empty {
    padding: var(--ck-space-4, 1rem);
    background: var(--ck-color-surface-alt, #f4f6f8);
    border-radius: var(--ck-radius, 6px);
  }

  /* Narrow containers: each row becomes a card, each cell a labelled line. */
  @container (max-width: 600px) {
    fieldset {
      grid-column: 1 / -1;
    }
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
    table,
    tbody,
    tr,
    td {
      display: block;
    }
    tbody tr {
      border: 1px solid var(--ck-color-border-subtle, #d0d7de);
      border-radius: var(--ck-radius, 6px);
      margin-bottom: var(--ck-space-2, 0.5rem);
      padding: var(--ck-space-2, 0.5rem) 0;
    }
    td {
      border: 0;
      display: grid;
      grid-template-columns: 9rem 1fr;
      padding: var(--ck-space-1, 0.25rem) var(--ck-space-3, 0.75rem);
      text-align: start;
    }
    /* In a card the label column carries the alignment; numbers read left to right like the rest. */
    td.num {
      text-align: start;
    }
    td > .badge {
      justify-self: start;
    }
    td::before {
      content: attr(data-label);
      font-weight: 600;
      color: var(--ck-color-text-muted, #57606a);
      font-size: var(--ck-font-size-small, 0.8125rem);
    }
  }
`;
