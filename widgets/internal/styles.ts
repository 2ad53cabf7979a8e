/**
 * Styles shared by the elements. Every token has a built-in fallback equal to themes/default.css,
 * so the elements look right without the theme file.
 */
import { css } from 'lit';

/** The host's type and colours, the visually-hidden helper, focus rings. */
export const baseStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--ck-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif);
    font-size: var(--ck-font-size, 0.9375rem);
    line-height: var(--ck-line-height, 1.45);
    color: var(--ck-color-text, #1f2328);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  :focus-visible {
    outline: 2px solid var(--ck-color-focus, #1d4ed8);
    outline-offset: 2px;
  }
`;

/** Labels, inputs, selects, hints, errors and buttons. */
export const formStyles = css`
  .field {
    display: flex;
    flex-direction: column;
    gap: var(--ck-space-1, 0.25rem);
    min-width: 0;
  }
  label,
  legend {
    font-weight: 600;
    font-size: var(--ck-font-size-small, 0.8125rem);
  }
  input,
  select,
  textarea {
    /* explicit: inside another element's shadow root the host's box-sizing can be overridden by the
       outer scope's rules, and a content-box input overflows its grid cell */
    box-sizing: border-box;
    font: inherit;
    color: inherit;
    background: var(--ck-color-surface, #ffffff);
    border: 1px solid var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    min-height: 2.5rem;
    width: 100%;
  }
  input[aria-invalid='true'] {
    border-color: var(--ck-color-danger, #b42318);
  }
  .hint {
    color: var(--ck-color-text-muted, #57606a);
    font-size: var(--ck-font-size-small, 0.8125rem);
  }
  .error {
    color: var(--ck-color-danger, #b42318);
    font-size: var(--ck-font-size-small, 0.8125rem);
  }
  .error:empty {
    display: none;
  }
  .alert {
    color: var(--ck-color-danger, #b42318);
    background: var(--ck-color-danger-surface, #fef3f2);
    border: 1px solid currentColor;
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
  }
  .alert:empty {
    display: none;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: var(--ck-radius, 6px);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-4, 1rem);
    min-height: 2.5rem;
    border: 1px solid var(--ck-color-border, #8c959f);
    background: var(--ck-color-surface, #ffffff);
    color: var(--ck-color-text, #1f2328);
  }
  button.primary {
    background: var(--ck-color-primary, #1d4ed8);
    border-color: var(--ck-color-primary, #1d4ed8);
    color: var(--ck-color-on-primary, #ffffff);
  }
  button.primary:hover {
    background: var(--ck-color-primary-hover, #1e40af);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
`;

/**
 * A wide data table that scrolls sideways inside `.scroll` on a narrow screen instead of squeezing
 * its columns (the agency console's queues and trails).
 */
export const dataTableStyles = css`
  .scroll {
    overflow-x: auto;
    /* the containing block of the absolutely positioned .visually-hidden labels in header cells: without
       it a label in a column scrolled off to the right escapes the clip and the whole page scrolls sideways */
    position: relative;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    min-width: 40rem;
  }
  th,
  td {
    text-align: left;
    padding: var(--ck-space-2, 0.5rem);
    border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de);
    vertical-align: top;
  }
`;

/** Status colours: `data-status="…"` sets `--ck-status-color`; `.badge` paints it. White text on each. */
export const statusStyles = css`
  [data-status] {
    --ck-status-color: var(--ck-color-status-closed, #57606a);
  }
  [data-status='active'] {
    --ck-status-color: var(--ck-color-status-active, #146c2e);
  }
  [data-status='hold'] {
    --ck-status-color: var(--ck-color-status-hold, #8a4b00);
  }
  [data-status='paid'] {
    --ck-status-color: var(--ck-color-status-paid, #1d4ed8);
  }
  [data-status='settled'] {
    --ck-status-color: var(--ck-color-status-settled, #1d4ed8);
  }
  [data-status='disputed'] {
    --ck-status-color: var(--ck-color-status-disputed, #b42318);
  }
  [data-status='bankrupt'] {
    --ck-status-color: var(--ck-color-status-bankrupt, #6e40c9);
  }
  [data-status='deceased'] {
    --ck-status-color: var(--ck-color-status-deceased, #24292f);
  }
  .badge {
    display: inline-block;
    white-space: nowrap;
    padding: 0 var(--ck-space-2, 0.5rem);
    border-radius: 999px;
    background: var(--ck-status-color);
    color: #ffffff;
    font-size: var(--ck-font-size-small, 0.8125rem);
    font-weight: 600;
  }
`;
