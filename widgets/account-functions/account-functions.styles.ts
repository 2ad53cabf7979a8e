import { css } from 'lit';

export const accountFunctionsStyles = css`
  :host {
    display: inline-block;
    position: relative;
  }
  [part~='menu'] {
    position: absolute;
    right: 0;
    z-index: 10;
    margin: var(--ck-space-1, 0.25rem) 0 0;
    padding: var(--ck-space-1, 0.25rem) 0;
    list-style: none;
    min-width: 15rem;
    background: var(--ck-color-surface, #ffffff);
    border: 1px solid var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.15);
  }
  [part~='menu'] button {
    display: block;
    width: 100%;
    text-align: left;
    border: 0;
    border-radius: 0;
    background: none;
    min-height: 2.5rem;
  }
  [part~='menu'] button:hover,
  [part~='menu'] button:focus-visible {
    background: var(--ck-color-surface-alt, #f4f6f8);
  }
  dialog {
    border: 1px solid var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-6, 1.5rem);
    width: min(32rem, calc(100vw - 2rem));
    color: inherit;
    background: var(--ck-color-surface, #ffffff);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  dialog h2 {
    margin: 0 0 var(--ck-space-4, 1rem);
    font-size: var(--ck-font-size-large, 1.25rem);
  }
  form {
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-3, 0.75rem);
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
  .check {
    flex-direction: row;
    align-items: flex-start;
    gap: var(--ck-space-2, 0.5rem);
  }
  .check input {
    width: auto;
    min-height: auto;
    margin-top: 0.2rem;
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    gap: var(--ck-space-2, 0.5rem);
    flex-wrap: wrap;
  }
  .done {
    color: var(--ck-color-success, #146c2e);
    font-size: var(--ck-font-size-small, 0.8125rem);
  }
  .done:empty {
    display: none;
  }
`;
