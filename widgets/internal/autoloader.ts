/**
 * Registers CollectKit elements on first use, the way Web Awesome's autoloader does: the entry
 * scans the page once, then a MutationObserver on the document scans whatever is added later, and
 * every undefined `ck-*` tag found imports the chunk that defines it (lazy-elements.ts).
 *
 * What the observer cannot see: shadow roots. Our own elements never need it — each one statically
 * imports the elements its template renders, so its chunk cannot run before theirs and a child is
 * defined before its parent first renders (the build fails when such an import is missing:
 * scripts/rollup-element-checks.ts). An agency that puts our elements inside its own shadow root
 * calls `discover(shadowRoot)` once it has rendered, or imports the element module itself.
 *
 * Until its chunk has loaded, every `ck-*` element can be a styled placeholder: dist/collectkit.css
 * (internal/placeholders.ts), linked by the page, so it shows before any script has run.
 */
import { lazyElements } from '../lazy-elements.js';

const loads = new Map<string, Promise<void>>();
const loaded = new Set<string>();
let observer: MutationObserver | null = null;

/**
 * Imports the module that defines `tag` (once; a failed load is retried on the next request).
 * Resolves when the element is defined; rejects for a tag CollectKit does not lazy-load.
 */
export function loadElement(tag: string): Promise<void> {
  const name = tag.toLowerCase();
  const known = loads.get(name);
  if (known) return known;
  const load = lazyElements[name];
  if (!load) return customElements.get(name) ? Promise.resolve() : Promise.reject(new Error(`CollectKit has no element <${name}>`));
  const loading = load().then(
    () => {
      loaded.add(name);
      // Nothing left to find: stop scanning the agency's DOM mutations.
      if (loaded.size === Object.keys(lazyElements).length) stopAutoloader();
    },
    (error: unknown) => {
      loads.delete(name);
      throw error;
    },
  );
  loads.set(name, loading);
  return loading;
}

/** Loads every CollectKit element that is in `root` (itself included) and not yet defined. */
export function discover(root: ParentNode): void {
  const tags = new Set<string>();
  if (root instanceof Element && root.localName in lazyElements && !customElements.get(root.localName)) tags.add(root.localName);
  for (const el of root.querySelectorAll(':not(:defined)')) {
    if (el.localName in lazyElements) tags.add(el.localName);
  }
  for (const tag of tags) {
    loadElement(tag).catch((error: unknown) => console.error(`CollectKit could not load <${tag}>:`, error));
  }
}

/** Scans the document now and watches it for elements added later (idempotent). */
export function startAutoloader(): void {
  if (observer) return;
  observer = new MutationObserver((mutations) => {
    for (const { addedNodes } of mutations) {
      for (const node of addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE) discover(node as Element);
      }
    }
  });
  // The document itself, not <html>: a page that swaps its documentElement is still watched.
  observer.observe(document, { childList: true, subtree: true });
  discover(document);
}

/** Stops watching: done by itself once every lazily loaded element has been requested. */
export function stopAutoloader(): void {
  observer?.disconnect();
  observer = null;
}
