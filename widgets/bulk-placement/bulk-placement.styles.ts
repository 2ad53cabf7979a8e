import { css } from 'lit';

/** ck-bulk-placement's own rules: the mapping table, its suggestions to check, and its phone layout. */
export const bulkPlacementStyles = css`
  tr[data-review] { background: var(--ck-color-warning-bg, #fff4d6); }
  tr[data-review] th { border-inline-start: 4px solid var(--ck-color-warning, #b45309); }
  .basis { display: block; font-size: 0.85em; color: var(--ck-color-muted, #555); }
  .basis strong { color: var(--ck-color-warning-text, #7a3b00); }
  /* A phone: each field is a card (label, then its column across the width, then the values), so a
     column's name is never cut short in a squeezed select. */
  @media (max-width: 640px) {
    table[part~='mapping'], table[part~='mapping'] tbody, table[part~='mapping'] tr, table[part~='mapping'] th, table[part~='mapping'] td { display: block; }
    table[part~='mapping'] thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
    table[part~='mapping'] tr { padding: var(--ck-space-2, 0.5rem) var(--ck-space-1, 0.25rem); border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de); }
    table[part~='mapping'] th, table[part~='mapping'] td { border: 0; padding: var(--ck-space-1, 0.25rem) 0; }
    table[part~='mapping'] select { width: 100%; }
    tr[data-review] th { border-inline-start: 0; }
    tr[data-review] { border-inline-start: 4px solid var(--ck-color-warning, #b45309); }
  }
`;
