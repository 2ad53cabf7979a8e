import { css } from 'lit';

export const userAdminStyles = css`
  /* the cards below follow the element's own width (in the console it is the viewport less the menu's margins) */
  :host {
    display: block;
    container-type: inline-size;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-4, 1rem);
  }
  h2 {
    margin: 0;
    font-size: var(--ck-font-size-large, 1.25rem);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-2, 0.5rem);
    align-items: end;
  }
  .toolbar .field {
    flex: 1 1 14rem;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: var(--ck-space-2, 0.5rem);
    border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
    vertical-align: top;
  }
  td .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-1, 0.25rem);
  }
  td button {
    min-height: 2rem;
    padding: var(--ck-space-1, 0.25rem) var(--ck-space-2, 0.5rem);
  }
  .muted {
    color: var(--ck-color-text-muted, #57606a);
  }
  .pager {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: var(--ck-space-2, 0.5rem);
  }
  form.create {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
    gap: var(--ck-space-3, 0.75rem);
    padding: var(--ck-space-4, 1rem);
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    background: var(--ck-color-surface, #ffffff);
  }
  form.create fieldset {
    grid-column: 1 / -1;
    border: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-1, 0.25rem) var(--ck-space-4, 1rem);
  }
  form.create fieldset label {
    font-weight: normal;
    display: inline-flex;
    gap: var(--ck-space-1, 0.25rem);
    align-items: center;
  }
  form.create fieldset input {
    width: auto;
    min-height: auto;
  }
  form.create .actions,
  form.create .alert,
  form.create .notice {
    grid-column: 1 / -1;
  }
  .notice {
    border: 1px solid var(--ck-color-primary, #1d4ed8);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
  }
  .notice:empty {
    display: none;
  }
  .empty {
    padding: var(--ck-space-4, 1rem);
    color: var(--ck-color-text-muted, #57606a);
  }
  /* Narrow: each row becomes a card with labelled cells. The table needs ~52rem (name and email,
     roles, clients, status, actions); below 56rem it overflowed at 780 px, so the cards start there. */
  @container (max-width: 56rem) {
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
    table,
    tbody {
      display: block;
    }
    tr {
      display: block;
      border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
      padding: var(--ck-space-2, 0.5rem) 0;
    }
    td {
      display: flex;
      /* long emails wrap instead of widening the page */
      overflow-wrap: anywhere;
      min-width: 0;
      gap: var(--ck-space-2, 0.5rem);
      border: none;
      padding: var(--ck-space-1, 0.25rem) 0;
    }
    td::before {
      content: attr(data-label);
      font-weight: 600;
      min-width: 6rem;
    }
  }
`;
