import { css } from 'lit';

/** Mobile first: one column, full-width buttons, 16px inputs (no zoom on phones); wider screens get air. */
export const payFormStyles = css`
  [part~='base'] {
    background: var(--ck-color-surface, #ffffff);
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius-large, 10px);
    padding: var(--ck-space-4, 1rem);
    max-width: 36rem;
  }
  h2 {
    font-size: 1.25rem;
    margin: 0 0 var(--ck-space-2, 0.5rem);
  }
  h2:focus {
    outline: none;
  }
  .lang-switch {
    float: right;
    min-height: 2.75rem;
    border: none;
    background: none;
    color: var(--ck-color-primary, #1d4ed8);
    font: inherit;
    font-weight: 600;
    text-decoration: underline;
    cursor: pointer;
  }
  .progress {
    color: var(--ck-color-text-muted, #57606a);
    font-size: var(--ck-font-size-small, 0.8125rem);
    margin: 0 0 var(--ck-space-3, 0.75rem);
  }
  form,
  .stack {
    display: grid;
    gap: var(--ck-space-3, 0.75rem);
  }
  input,
  select {
    font-size: max(16px, 1em);
  }
  .actions {
    display: flex;
    flex-direction: column-reverse;
    gap: var(--ck-space-2, 0.5rem);
  }
  .actions button {
    width: 100%;
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0;
    display: flex;
    gap: var(--ck-space-3, 0.75rem);
    flex-wrap: wrap;
  }
  .radio {
    display: flex;
    align-items: center;
    gap: var(--ck-space-1, 0.25rem);
    font-weight: 400;
  }
  .radio input {
    width: auto;
    min-height: auto;
  }
  .summary {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: var(--ck-space-1, 0.25rem) var(--ck-space-3, 0.75rem);
    margin: 0;
  }
  .summary dt {
    color: var(--ck-color-text-muted, #57606a);
  }
  .summary dd {
    margin: 0;
    font-weight: 600;
  }
  .card {
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-3, 0.75rem);
    display: grid;
    gap: var(--ck-space-2, 0.5rem);
  }
  .card h3 {
    margin: 0;
    font-size: 1rem;
  }
  .card p {
    margin: 0;
  }
  /* one row at any width (390 px phones included); the selected tab is filled, the others outlined */
  .tabs {
    display: flex;
    gap: var(--ck-space-1, 0.25rem);
    flex-wrap: nowrap;
  }
  .tabs [role='tab'] {
    flex: 1 1 0;
    min-width: 0;
    width: auto;
    white-space: nowrap;
    padding-inline: var(--ck-space-2, 0.5rem);
  }
  .tabs [aria-selected='true'] {
    background: var(--ck-color-primary, #1d4ed8);
    border-color: var(--ck-color-primary, #1d4ed8);
    color: var(--ck-color-on-primary, #fff);
    font-weight: 600;
  }
  .tabs [aria-selected='false'] {
    background: var(--ck-color-surface, #fff);
    color: var(--ck-color-text, #1f2328);
  }
  iframe {
    width: 100%;
    border: 0;
    min-height: 22rem;
  }
  .agreement {
    font-family: inherit;
    line-height: 1.5;
    max-height: 14rem;
    overflow: auto;
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    font-size: var(--ck-font-size-small, 0.8125rem);
    margin: 0;
  }
  .agreement p,
  .agreement ol {
    margin: 0 0 var(--ck-space-2, 0.5rem);
  }
  .agreement-version {
    color: var(--ck-color-text-muted, #57606a);
  }
  .status {
    color: var(--ck-color-text-muted, #57606a);
  }
  .success {
    color: var(--ck-color-status-active, #146c2e);
    font-weight: 600;
  }
  .success:empty {
    display: none;
  }
  .statuses {
    display: grid;
    gap: var(--ck-space-2, 0.5rem);
    padding-left: 1.25rem;
    margin: 0 0 var(--ck-space-3, 0.75rem);
  }
  .statuses li {
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--ck-space-2, 0.5rem);
    align-items: baseline;
  }
  .statuses li button {
    flex-basis: 100%;
  }
  .statuses [data-status='succeeded'] strong {
    color: var(--ck-color-status-active, #146c2e);
  }
  .statuses [data-status='declined'] strong,
  .statuses [data-status='failed'] strong {
    color: var(--ck-color-danger, #b42318);
  }
  @media (min-width: 40rem) {
    [part~='base'] {
      padding: var(--ck-space-5, 1.5rem);
    }
    .actions {
      flex-direction: row;
      justify-content: flex-end;
    }
    .actions button {
      width: auto;
    }
  }
  @media print {
    .actions,
    .progress {
      display: none;
    }
    [part~='base'] {
      border: 0;
    }
  }
`;
