import { css } from 'lit';

export const uploadStyles = css`
  .dropzone {
    border: 2px dashed var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-4, 1rem);
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    background: var(--ck-color-surface, #ffffff);
  }
  .dropzone.dragging {
    border-color: var(--ck-color-primary, #1d4ed8);
    background: var(--ck-color-surface-alt, #f4f6f8);
  }
  .dropzone p {
    margin: 0;
  }
  .dropzone .hint {
    flex-basis: 100%;
  }
  ul {
    list-style: none;
    margin: var(--ck-space-2, 0.5rem) 0 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-2, 0.5rem);
  }
  li {
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: var(--ck-space-2, 0.5rem);
    align-items: center;
  }
  li[data-status='done'] {
    border-color: var(--ck-color-status-active, #146c2e);
  }
  li[data-status='error'] {
    border-color: var(--ck-color-danger, #b42318);
  }
  .file {
    overflow-wrap: anywhere;
  }
  .actions {
    display: flex;
    gap: var(--ck-space-2, 0.5rem);
  }
  .wide {
    grid-column: 1 / -1;
  }
  progress {
    width: 100%;
    height: 0.75rem;
    accent-color: var(--ck-color-primary, #1d4ed8);
  }
  .done {
    color: var(--ck-color-status-active, #146c2e);
    font-weight: 600;
  }
  .submit {
    margin-top: var(--ck-space-2, 0.5rem);
  }
  @media (max-width: 30rem) {
    li {
      grid-template-columns: 1fr;
    }
  }
`;
