/**
 * The agreement as a person reads it: the server's text (the very words signed, compared by hash)
 * laid out as paragraphs and a numbered list of charges, not a monospace block. Lines the server
 * wrapped inside one sentence are joined back into one paragraph.
 */
import { html, nothing, type TemplateResult } from 'lit';

type Block = { kind: 'p'; text: string } | { kind: 'ol'; items: string[] };

export function agreementBlocks(text: string): { heading: string; blocks: Block[] } {
  const [heading = '', ...lines] = text.split('\n');
  const blocks: Block[] = [];
  for (const line of lines) {
    const item = /^\s+\d+\.\s+(.*)$/.exec(line);
    const last = blocks[blocks.length - 1];
    if (item) {
      if (last?.kind === 'ol') last.items.push(item[1]!);
      else blocks.push({ kind: 'ol', items: [item[1]!] });
    } else if (last?.kind === 'p' && !/[.:]$/.test(last.text)) {
      last.text = `${last.text} ${line.trim()}`;
    } else {
      blocks.push({ kind: 'p', text: line.trim() });
    }
  }
  return { heading, blocks };
}

/** `labelledBy`: the id of the heading above it. */
export function agreementView(text: string, labelledBy: string): TemplateResult {
  const { heading, blocks } = agreementBlocks(text);
  return html`<div class="agreement" part="agreement" tabindex="0" role="region" aria-labelledby=${labelledBy}>
    ${heading ? html`<p class="agreement-version">${heading}</p>` : nothing}
    ${blocks.map((b) => (b.kind === 'ol' ? html`<ol>${b.items.map((i) => html`<li>${i}</li>`)}</ol>` : html`<p>${b.text}</p>`))}
  </div>`;
}
