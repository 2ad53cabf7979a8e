import { css } from 'lit';

export const reportViewerStyles = css`
  :host {
    container-type: inline-size;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-4, 1rem);
  }
  .picker {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-3, 0.75rem);
    align-items: end;
  }
  .picker .field {
    flex: 1 1 16rem;
  }
  [role='tablist'] {
    display: flex;
    gap: var(--ck-space-1, 0.25rem);
    border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
  }
  [role='tab'] {
    border: none;
    border-bottom: 3px solid transparent;
    border-radius: 0;
    background: none;
  }
  [role='tab'][aria-selected='true'] {
    border-bottom-color: var(--ck-color-primary, #1d4ed8);
    font-weight: 600;
  }
  form {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
    gap: var(--ck-space-3, 0.75rem);
    align-items: start;
  }
  fieldset {
    margin: 0;
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem) var(--ck-space-3, 0.75rem);
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-1, 0.25rem);
    min-width: 0;
  }
  fieldset.range {
    display: grid;
    /* From and To side by side only when each can show a whole date (~10.5rem with the calendar
       button): in a 14rem column of the form they stack (side by side "mm/dd/yyyy" was cut off) */
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr));
    gap: var(--ck-space-2, 0.5rem);
  }
  fieldset.range legend {
    grid-column: 1 / -1;
  }
  .check {
    display: flex;
    gap: var(--ck-space-2, 0.5rem);
    align-items: center;
    font-weight: normal;
  }
  .check input {
    width: auto;
    min-height: 0;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-2, 0.5rem);
    grid-column: 1 / -1;
    align-items: center;
  }
  details[part~='export-menu'] {
    position: relative;
  }
  details[part~='export-menu'] summary {
    cursor: pointer;
    list-style: none;
    border: 1px solid var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-4, 1rem);
    min-height: 2.5rem;
    display: inline-flex;
    align-items: center;
  }
  details[part~='export-menu'] [role='group'] {
    position: absolute;
    z-index: 1;
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-1, 0.25rem);
    margin-top: var(--ck-space-1, 0.25rem);
    padding: var(--ck-space-2, 0.5rem);
    background: var(--ck-color-surface, #ffffff);
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    box-shadow: 0 4px 12px rgb(0 0 0 / 12%);
  }
  [part~='progress'] {
    display: flex;
    gap: var(--ck-space-2, 0.5rem);
    align-items: center;
  }
  .notice {
    background: var(--ck-color-warning-surface, #fff8e5);
    border-left: 4px solid var(--ck-color-warning, #b86e12);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    margin: 0;
  }
  figure {
    margin: 0;
    container: chart / inline-size;
  }
  .bars {
    display: grid;
    gap: var(--ck-space-2, 0.5rem);
    max-width: 48rem;
    margin-block-end: var(--ck-space-2, 0.5rem);
  }
  .bar-row {
    display: grid;
    grid-template-columns: fit-content(16rem) 1fr;
    gap: 0.125rem var(--ck-space-3, 0.75rem);
    align-items: center;
  }
  .bar-row .label {
    text-align: end;
    overflow-wrap: anywhere;
    font-size: var(--ck-font-size-small, 0.8125rem);
    color: var(--ck-color-text, #1f2328);
  }
  .bar-set {
    display: grid;
    gap: 2px;
    min-width: 0;
  }
  .bar-line {
    display: flex;
    align-items: center;
    gap: 0.375rem;
    min-width: 0;
  }
  .bar {
    display: block;
    flex: none;
    min-width: 1px;
    height: 0.75rem;
  }
  .bar-line .value {
    font-size: var(--ck-font-size-small, 0.8125rem);
    white-space: nowrap;
    color: var(--ck-color-text, #1f2328);
  }
  /* a narrow container (a phone): each label above its bars, the bars the whole width */
  @container chart (max-width: 30rem) {
    .bar-row {
      grid-template-columns: 1fr;
    }
    .bar-row .label {
      text-align: start;
    }
  }
  .legend {
    display: inline-flex;
    align-items: center;
    gap: var(--ck-space-1, 0.25rem);
    margin-inline-end: var(--ck-space-3, 0.75rem);
    font-size: var(--ck-font-size-small, 0.8125rem);
  }
  .swatch {
    width: 0.75rem;
    height: 0.75rem;
    display: inline-block;
  }
  .table-wrap {
    overflow-x: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    background: var(--ck-color-surface, #ffffff);
  }
  caption {
    text-align: start;
    font-weight: 600;
    padding-bottom: var(--ck-space-2, 0.5rem);
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
  }
  tfoot td {
    font-weight: 700;
    border-top: 2px solid var(--ck-color-text, #1f2328);
  }
  .num {
    text-align: end;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .pager {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: var(--ck-space-2, 0.5rem);
    flex-wrap: wrap;
  }
  .empty {
    padding: var(--ck-space-4, 1rem);
    background: var(--ck-color-surface-alt, #f4f6f8);
    border-radius: var(--ck-radius, 6px);
  }
  .downloads {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-1, 0.25rem);
  }
  .downloads button {
    padding: var(--ck-space-1, 0.25rem) var(--ck-space-2, 0.5rem);
    min-height: 2rem;
  }
  [aria-busy='true'] table {
    opacity: 0.6;
  }
  /* Narrow containers: tables become stacked cards. */
  @container (max-width: 600px) {
    thead {
      display: none;
    }
    tr {
      display: block;
      padding: var(--ck-space-2, 0.5rem) 0;
      border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
    }
    td {
      display: flex;
      justify-content: space-between;
      gap: var(--ck-space-3, 0.75rem);
      border: none;
      padding: var(--ck-space-1, 0.25rem) var(--ck-space-2, 0.5rem);
    }
    td::before {
      content: attr(data-label);
      font-weight: 600;
      text-align: start;
    }
    .num {
      white-space: normal;
    }
  }
  .pdf-export { margin: var(--ck-space-3, 0.75rem) 0; display: grid; gap: var(--ck-space-2, 0.5rem); }
  .pdf-progress { display: grid; gap: 0.25rem; }
  .pdf-progress .bar { height: 0.75rem; border-radius: var(--ck-radius, 4px); background: var(--ck-color-surface-alt, #eef1f4); overflow: hidden; border: 1px solid var(--ck-color-border, #c9d1d9); }
  .pdf-progress .bar > span { display: block; height: 100%; background: var(--ck-color-primary, #2f5d8a); transition: width 0.3s; }
  .pdf-ready { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ck-space-2, 0.5rem); }
  @media (prefers-reduced-motion: reduce) { .pdf-progress .bar > span { transition: none; } }
`;
