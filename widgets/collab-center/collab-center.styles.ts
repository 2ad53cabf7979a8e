import { css } from 'lit';

export const collabCenterStyles = css`
  [part='base'] {
    display: grid;
    grid-template-columns: minmax(12rem, 16rem) minmax(0, 1fr);
    gap: var(--ck-space-4, 1rem) var(--ck-space-6, 1.5rem);
    background: var(--ck-color-surface, #ffffff);
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-4, 1rem);
  }
  .top {
    grid-column: 1 / -1;
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--ck-space-3, 0.75rem);
  }
  h2 {
    margin: 0;
    font-size: var(--ck-font-size-large, 1.25rem);
    flex: 1 1 auto;
  }
  h3 {
    margin: 0 0 var(--ck-space-2, 0.5rem);
    font-size: var(--ck-font-size, 0.9375rem);
  }
  nav ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  nav ul ul {
    padding-left: var(--ck-space-4, 1rem);
  }
  /* the folder tree's buttons read as a list; "Create folder" below it keeps the button look */
  nav li button {
    width: 100%;
    text-align: left;
    border: 0;
    background: transparent;
    padding: var(--ck-space-1, 0.25rem) var(--ck-space-2, 0.5rem);
    min-height: 2rem;
    overflow-wrap: anywhere;
  }
  nav li button[aria-current='true'] {
    background: var(--ck-color-surface-alt, #f4f6f8);
    color: var(--ck-color-primary, #1d4ed8);
    font-weight: 600;
  }
  .new-folder {
    margin-top: var(--ck-space-3, 0.75rem);
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-2, 0.5rem);
  }
  .new-folder button {
    align-self: flex-start;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  caption {
    text-align: left;
    font-weight: 600;
    padding-bottom: var(--ck-space-2, 0.5rem);
  }
  th,
  td {
    text-align: left;
    padding: var(--ck-space-2, 0.5rem);
    border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
    vertical-align: top;
    overflow-wrap: anywhere;
  }
  td.num {
    text-align: right;
    white-space: nowrap;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-1, 0.25rem);
  }
  .actions button {
    padding: var(--ck-space-1, 0.25rem) var(--ck-space-2, 0.5rem);
    min-height: 2rem;
  }
  .taken {
    border-left: 4px solid var(--ck-color-warning, #b86e12);
    background: var(--ck-color-surface-alt, #f4f6f8);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    overflow-wrap: anywhere;
  }
  .taken p {
    margin: 0 0 var(--ck-space-2, 0.5rem);
  }
  tr[data-selected='true'] {
    background: var(--ck-color-surface-alt, #f4f6f8);
  }
  .main {
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-4, 1rem);
    min-width: 0;
  }
  section.detail {
    border-top: 2px solid var(--ck-color-border-subtle, #d0d7de);
    padding-top: var(--ck-space-3, 0.75rem);
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-3, 0.75rem);
  }
  ol.comments {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-2, 0.5rem);
  }
  ol.comments li {
    border-left: 3px solid var(--ck-color-border-subtle, #d0d7de);
    padding-left: var(--ck-space-3, 0.75rem);
    white-space: pre-wrap;
  }
  textarea {
    font: inherit;
    width: 100%;
    min-height: 4rem;
    border: 1px solid var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem);
  }
  form.comment {
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-2, 0.5rem);
    align-items: flex-start;
  }
  select {
    min-width: 12rem;
  }
  @media (max-width: 40rem) {
    [part='base'] {
      grid-template-columns: 1fr;
    }
    thead {
      display: none;
    }
    tr,
    td,
    th {
      display: block;
      border: 0;
      padding: var(--ck-space-1, 0.25rem) 0;
    }
    tr {
      border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
      padding: var(--ck-space-2, 0.5rem) 0;
    }
    td.num {
      text-align: left;
    }
  }
`;
