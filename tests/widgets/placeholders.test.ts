/**
 * Issue 19: before its chunk has loaded, every CollectKit element is a styled placeholder
 * (`:not(:defined)`): it reserves height and says "Loading…", without motion for those who ask.
 * This page loads no element: none is defined here.
 */
import { expect } from '@open-wc/testing';
import { placeholderCss } from '../../widgets/internal/placeholders.js';
import { lazyElements } from '../../widgets/lazy-elements.js';

/** What a page gets by linking dist/collectkit.css (rollup.config.ts writes placeholderCss into it). */
let sheet: CSSStyleSheet | null = null;
function injectPlaceholders(): void {
  if (sheet) return;
  sheet = new CSSStyleSheet();
  sheet.replaceSync(placeholderCss(Object.keys(lazyElements)));
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

describe(':not(:defined) placeholders', () => {
  it('every lazily loaded ck-* element reserves height and shows “Loading…” until it is defined', () => {
    injectPlaceholders();
    const box = document.createElement('div');
    const tags = Object.keys(lazyElements);
    expect(tags.length).to.be.greaterThan(20);
    for (const tag of tags) box.append(document.createElement(tag));
    document.body.append(box);
    for (const el of box.children) {
      expect(customElements.get(el.localName), el.localName).to.equal(undefined);
      const style = getComputedStyle(el);
      expect(style.display, el.localName).to.equal('block');
      expect(parseFloat(style.minHeight), el.localName).to.be.at.least(40);
      expect(getComputedStyle(el, '::before').content, el.localName).to.equal('"Loading…"');
    }
    expect(parseFloat(getComputedStyle(box.querySelector('ck-client-portal')!).minHeight)).to.be.at.least(300);
    box.remove();
  });

  it('stops the pulse under prefers-reduced-motion, and a page can restyle it (zero specificity)', () => {
    const css = placeholderCss(['ck-login']);
    expect(css).to.contain('@media (prefers-reduced-motion:reduce)');
    expect(css).to.match(/prefers-reduced-motion:reduce\)\{:where\(ck-login:not\(:defined\)\)::before\{animation:none\}/);
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('ck-login { min-height: 7px }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    const el = document.createElement('ck-login');
    document.body.append(el);
    expect(getComputedStyle(el).minHeight).to.equal('7px');
    el.remove();
  });
});
