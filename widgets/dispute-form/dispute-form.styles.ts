import { css } from 'lit';

export const disputeFormStyles = css`
  [part~='base'] {
    display: grid;
    gap: var(--ck-space-4, 1rem);
    background: var(--ck-color-surface, #ffffff);
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-4, 1rem);
  }
  h2,
  h3 {
    margin: 0 0 var(--ck-space-2, 0.5rem);
    font-size: 1.05rem;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: var(--ck-space-1, 0.25rem) var(--ck-space-3, 0.75rem);
    margin: 0 0 var(--ck-space-3, 0.75rem);
  }
  dt {
    color: var(--ck-color-text-muted, #57606a);
  }
  dd {
    margin: 0;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  caption {
    text-align: start;
    font-weight: 600;
    padding-bottom: var(--ck-space-1, 0.25rem);
  }
  th,
  td {
    padding: var(--ck-space-1, 0.25rem) 0;
    border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
    text-align: start;
    font-weight: normal;
  }
  .num {
    text-align: end;
    font-variant-numeric: tabular-nums;
    /* "− $1,121.36" broken after the sign reads as two amounts on a phone; the label cell wraps instead */
    white-space: nowrap;
  }
  tfoot th,
  tfoot td {
    font-weight: 700;
    border-bottom: none;
  }
  form {
    display: grid;
    gap: var(--ck-space-3, 0.75rem);
  }
  fieldset {
    border: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--ck-space-2, 0.5rem);
  }
  .choice {
    display: flex;
    gap: var(--ck-space-2, 0.5rem);
    align-items: flex-start;
    font-weight: normal;
    font-size: inherit;
  }
  .choice input {
    width: auto;
    min-height: auto;
    margin-top: 0.2rem;
  }
  textarea {
    font: inherit;
    color: inherit;
    border: 1px solid var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    min-height: 5rem;
    width: 100%;
  }
  [part~='confirmation'] {
    /* a long reference or message wraps inside the box instead of running out of it */
    min-width: 0;
    overflow-wrap: anywhere;
    border: 1px solid var(--ck-color-success, #146c2e);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-3, 0.75rem);
  }
  @media (min-width: 48rem) {
    [part~='base'] {
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
      align-items: start;
    }
  }
`;
