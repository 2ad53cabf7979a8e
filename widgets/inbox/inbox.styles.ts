import { css } from 'lit';

export const inboxStyles = css`
  [part~='base'] {
    background: var(--ck-color-surface, #ffffff);
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-4, 1rem);
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-3, 0.75rem);
  }
  h2 {
    margin: 0;
    font-size: var(--ck-font-size-large, 1.25rem);
  }
  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-3, 0.75rem);
    align-items: flex-end;
  }
  .filters .field {
    min-width: 10rem;
  }
  ul[part~='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-2, 0.5rem);
  }
  li[part~='task'] {
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-3, 0.75rem);
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-1, 0.25rem);
  }
  li[part~='task'] h3 {
    margin: 0;
    font-size: var(--ck-font-size, 0.9375rem);
  }
  /* what clients type: a pasted link or reference without a space must wrap, not widen the inbox (and,
     on a phone, the whole page) to its length */
  li[part~='task'] h3,
  .detail {
    overflow-wrap: anywhere;
  }
  .kind {
    display: inline-block;
    border-radius: 999px;
    padding: 0 var(--ck-space-2, 0.5rem);
    font-size: var(--ck-font-size-small, 0.8125rem);
    font-weight: 600;
    background: var(--ck-color-surface-alt, #f4f6f8);
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
  }
  .meta {
    color: var(--ck-color-text-muted, #57606a);
    font-size: var(--ck-font-size-small, 0.8125rem);
  }
  .detail {
    white-space: pre-wrap;
    margin: 0;
  }
  .row-actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-2, 0.5rem);
  }
  .link {
    border: 0;
    background: none;
    padding: 0;
    min-height: auto;
    color: var(--ck-color-primary, #1d4ed8);
    text-decoration: underline;
  }
  textarea {
    font: inherit;
    border: 1px solid var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem);
    min-height: 4rem;
    width: 100%;
  }
  .reply {
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-2, 0.5rem);
  }
  .check {
    display: flex;
    gap: var(--ck-space-2, 0.5rem);
    align-items: center;
    font-weight: normal;
  }
  .check input {
    width: auto;
    min-height: auto;
  }
  .pager {
    display: flex;
    gap: var(--ck-space-2, 0.5rem);
    align-items: center;
  }
`;
