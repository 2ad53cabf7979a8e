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
    gap: var(--ck-space-2, 0.5rem);
    align-items: center;
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
