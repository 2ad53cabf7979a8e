import { css } from 'lit';

export const loginStyles = css`
  [part='base'] {
    max-width: 26rem;
    background: var(--ck-color-surface, #ffffff);
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-6, 1.5rem);
  }
  h2 {
    margin: 0 0 var(--ck-space-2, 0.5rem);
    font-size: var(--ck-font-size-large, 1.25rem);
  }
  p {
    margin: 0 0 var(--ck-space-3, 0.75rem);
  }
  form {
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-3, 0.75rem);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-2, 0.5rem);
    align-items: center;
  }
  button.link {
    background: none;
    border: none;
    padding: var(--ck-space-1, 0.25rem);
    color: var(--ck-color-primary, #0b5cad);
    text-decoration: underline;
    cursor: pointer;
    font: inherit;
  }
  ol.enrol {
    margin: 0 0 var(--ck-space-3, 0.75rem);
    padding-left: var(--ck-space-6, 1.5rem);
  }
  ol.enrol li {
    margin-bottom: var(--ck-space-2, 0.5rem);
  }
  img.qr {
    display: block;
    margin: var(--ck-space-2, 0.5rem) 0;
    background: #ffffff;
    max-width: 100%;
    height: auto;
  }
  code.secret {
    word-break: break-all;
  }
  ul.codes {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(8rem, 1fr));
    gap: var(--ck-space-1, 0.25rem) var(--ck-space-3, 0.75rem);
    margin: 0 0 var(--ck-space-3, 0.75rem);
    padding: var(--ck-space-3, 0.75rem);
    list-style: none;
    background: var(--ck-color-surface-alt, #f4f6f8);
    border-radius: var(--ck-radius, 6px);
    font-size: var(--ck-font-size-base, 1rem);
  }
  h2:focus {
    outline: none;
  }
  .help {
    margin-top: var(--ck-space-2, 0.5rem);
    justify-content: space-between;
  }
  .notice {
    border: 1px solid var(--ck-color-primary, #1d4ed8);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    margin-bottom: var(--ck-space-3, 0.75rem);
  }
  .notice:empty {
    display: none;
  }
  dl.support {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: var(--ck-space-1, 0.25rem) var(--ck-space-3, 0.75rem);
    margin: 0 0 var(--ck-space-3, 0.75rem);
  }
  dl.support dt {
    font-weight: 600;
  }
  dl.support dd {
    margin: 0;
  }
  ul[part='rules'] {
    margin: 0;
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem) var(--ck-space-2, 0.5rem) var(--ck-space-6, 1.5rem);
    background: var(--ck-color-surface-alt, #f4f6f8);
    border-radius: var(--ck-radius, 6px);
    font-size: var(--ck-font-size-small, 0.8125rem);
  }
  .steps {
    color: var(--ck-color-text-muted, #57606a);
    font-size: var(--ck-font-size-small, 0.8125rem);
    margin-bottom: var(--ck-space-1, 0.25rem);
  }
  .signed-in {
    display: flex;
    gap: var(--ck-space-3, 0.75rem);
    align-items: center;
    justify-content: space-between;
    flex-wrap: wrap;
  }
  .signed-in p {
    margin: 0;
  }
`;
