/**
 * Styles of the agency console's own areas (offers, plans, integrations, schedules), kept out of
 * internal/styles.ts so that the elements of the first paint (sign-in, search, pane) do not carry them.
 */
import { css } from 'lit';

/**
 * `dataTableStyles` plus cards below 720 px: a `table.cards` keeps its grid on a wide screen and on a
 * phone shows each row as a card, each cell labelled by its `data-label` (the header stays for
 * screen readers, visually hidden). Cells with `data-label=""` (actions) get no label.
 */
export const cardTableStyles = css`
  @media (max-width: 719.98px) {
    table.cards {
      min-width: 0;
    }
    table.cards thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
    table.cards,
    table.cards tbody,
    table.cards tr,
    table.cards td {
      display: block;
    }
    table.cards tr {
      border: 1px solid var(--ck-color-border-subtle, #d0d7de);
      border-radius: var(--ck-radius, 6px);
      padding: var(--ck-space-2, 0.5rem);
      margin-bottom: var(--ck-space-2, 0.5rem);
    }
    table.cards td {
      border: 0;
      padding: var(--ck-space-1, 0.25rem) 0;
      overflow-wrap: anywhere;
    }
    table.cards td[data-label]:not([data-label=''])::before {
      content: attr(data-label) ': ';
      font-weight: 600;
    }
  }
`;

/** Toolbars, filters and small forms of the console areas. */
export const areaStyles = css`
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-2, 0.5rem);
    align-items: end;
    margin-bottom: var(--ck-space-3, 0.75rem);
  }
  .toolbar .field {
    flex: 1 1 10rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-1, 0.25rem);
  }
  .panel {
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-3, 0.75rem);
    margin: var(--ck-space-3, 0.75rem) 0;
  }
  .grid-form {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr));
    gap: var(--ck-space-3, 0.75rem);
    align-items: end;
  }
  .empty {
    padding: var(--ck-space-3, 0.75rem);
    background: var(--ck-color-surface-muted, #f6f8fa);
    border-radius: var(--ck-radius, 6px);
  }
  h2 {
    font-size: var(--ck-font-size-h2, 1.2rem);
    margin: var(--ck-space-4, 1rem) 0 var(--ck-space-2, 0.5rem);
  }
  code {
    overflow-wrap: anywhere;
  }
  fieldset {
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    min-width: 0;
  }
  .check {
    display: flex;
    gap: var(--ck-space-2, 0.5rem);
    align-items: center;
    font-weight: 400;
  }
  .check input {
    width: auto;
    min-height: 0;
  }
  .secret {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-2, 0.5rem);
    align-items: center;
    padding: var(--ck-space-2, 0.5rem);
    background: var(--ck-color-surface-muted, #f6f8fa);
    border-radius: var(--ck-radius, 6px);
  }
  dialog {
    max-width: min(30rem, calc(100vw - 2rem));
    border: 1px solid var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
  }
  dialog .actions {
    justify-content: flex-end;
    margin-top: var(--ck-space-3, 0.75rem);
  }
`;
