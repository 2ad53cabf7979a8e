/**
 * The placeholder of a CollectKit element before its chunk has loaded (`:not(:defined)`): it keeps
 * some height, so the page does not jump, says "Loading…", and pulses gently unless the visitor
 * asks for reduced motion. Shipped as dist/collectkit.css (rollup.config.ts writes it from this), so
 * a page that links it in its <head> shows the placeholders before any script has run. `:where()`
 * keeps the rules at zero specificity: the page's own CSS restyles them with any selector.
 */
export function placeholderCss(tags: string[]): string {
  const all = tags.map((t) => `${t}:not(:defined)`).join(',');
  const big = tags.filter((t) => t === 'ck-client-portal' || t === 'ck-agency-console').map((t) => `${t}:not(:defined)`).join(',');
  return `/* CollectKit: placeholders of the elements until their code has loaded */
:where(${all}){display:block;min-height:3rem;padding:.75rem;box-sizing:border-box;border:1px dashed #d0d7de;border-radius:6px;color:#57606a}
${big ? `:where(${big}){min-height:20rem}\n` : ''}:where(${all})::before{content:"Loading…";display:block;animation:ck-placeholder 1.2s ease-in-out infinite alternate}
@keyframes ck-placeholder{from{opacity:1}to{opacity:.45}}
@media (prefers-reduced-motion:reduce){:where(${all})::before{animation:none}}
`;
}

/** The tags of widgets/lazy-elements.ts, read from its source (for the build, which must not run it). */
export function lazyTagsOf(source: string): string[] {
  return [...source.matchAll(/^\s*'(ck-[a-z-]+)':\s*\(\)\s*=>\s*import\(/gm)].map((m) => m[1]!);
}
