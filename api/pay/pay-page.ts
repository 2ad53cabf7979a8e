/**
 * The portal's own debtor pay page, `GET /pay` on the portal origin, served by every `serve` (demo or
 * not): payment links open it unless the agency set `payPageUrl` to a page of its own. It is the
 * smallest page that works: the agency's name and colour (pay settings), `<ck-pay-form>` from the
 * widget bundle, a language switch both ways, and the agency's contact line. No inline script (the
 * page CSP allows scripts from this origin only): the switch is `GET /pay/page.js`, and the page's
 * words travel in a JSON block it reads.
 */
import type Koa from 'koa';
import type { Db } from '../platform/db.js';
import { getPaySettings } from './pay.settings.js';
import { pickLang, wordsOf, type Lang } from '../../i18n/catalogue.js';

/** The page's words in a language: the catalogue's `page*` keys (pages module) without the prefix (`pageHeading` → `heading`). */
export function pageStrings(lang: Lang): { pageTitle: string; heading: string; intro: string; switchTo: string; notice: string } {
  const w = wordsOf(lang, 'pages');
  return { pageTitle: w.pageTitle, heading: w.pageHeading, intro: w.pageIntro, switchTo: w.pageSwitchTo, notice: w.pageNotice };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The switch: flips `lang` on the page and the form without a reload (a reload would lose the session, kept in memory only). */
const PAGE_JS = `const words = JSON.parse(document.getElementById('ck-pay-page-words').textContent);
const form = document.querySelector('ck-pay-form');
function show(lang) {
  document.documentElement.lang = lang;
  form.setAttribute('lang', lang);
  for (const el of document.querySelectorAll('[data-w]')) el.textContent = words[lang][el.dataset.w].replace('{agency}', words.agency);
  const other = lang === 'es' ? 'en' : 'es';
  const sw = document.getElementById('lang-switch');
  sw.textContent = words[other].switchTo; sw.lang = other; sw.dataset.to = other;
  const url = new URL(location.href); url.searchParams.set('lang', lang); history.replaceState(history.state, '', url.pathname + url.search);
}
document.getElementById('lang-switch').addEventListener('click', (e) => { e.preventDefault(); show(e.currentTarget.dataset.to); });
// the form's own switch: the page follows
form.addEventListener('ck-lang-change', (e) => show(e.detail.lang));
`;

export function renderPayPage(lang: Lang, brand: { agencyName: string; brandColor: string; supportLine: string }): string {
  const w = pageStrings(lang);
  const other: Lang = lang === 'es' ? 'en' : 'es';
  const agency = escape(brand.agencyName);
  const words = JSON.stringify({ en: pageStrings('en'), es: pageStrings('es'), agency: brand.agencyName }).replace(/</g, '\\u003c');
  // Without an icon of its own the browser asks for /favicon.ico, which the portal does not serve: a 404
  // and a console error on every debtor's visit. A dot in the agency's colour, inline (img-src allows data:).
  const icon = `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${brand.brandColor}"/></svg>`)}`;
  return `<!doctype html>
<html lang="${lang}">
<head>
  <meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
  <link rel="icon" href="${escape(icon)}">
  <title data-w="pageTitle">${escape(w.pageTitle.replace('{agency}', brand.agencyName))}</title>
  <style>
    :root{--ck-color-primary:${brand.brandColor};color-scheme:light}
    body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1f2328;background:#f6f8fa}
    header{background:${brand.brandColor};color:#fff;padding:.75rem 1rem;font-weight:700;font-size:1.1rem}
    main{max-width:40rem;margin:0 auto;padding:1rem}
    h1{font-size:1.4rem;margin:.5rem 0}
    .switch{display:inline-block;margin:.25rem 0 1rem;color:${brand.brandColor};font-weight:600}
    footer{max-width:40rem;margin:0 auto;padding:1rem;color:#57606a;font-size:.875rem}
  </style>
  <script type="module" src="/widgets/collectkit.js"></script>
  <script type="module" src="/pay/page.js"></script>
</head>
<body>
  <header>${agency}</header>
  <main>
    <h1 data-w="heading">${escape(w.heading)}</h1>
    <p data-w="intro">${escape(w.intro)}</p>
    <a id="lang-switch" class="switch" href="?lang=${other}" lang="${other}" data-to="${other}">${escape(pageStrings(other).switchTo)}</a>
    <ck-pay-form lang="${lang}" no-lang-switch></ck-pay-form>
  </main>
  <footer>
    ${brand.supportLine ? `<p>${escape(brand.supportLine)}</p>` : ''}
    <p data-w="notice">${escape(w.notice.replace('{agency}', brand.agencyName))}</p>
  </footer>
  <script type="application/json" id="ck-pay-page-words">${words}</script>
</body>
</html>`;
}

export function payPage(db: Db): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/pay/page.js') {
      ctx.type = 'text/javascript; charset=utf-8';
      ctx.set('Cache-Control', 'public, max-age=0, must-revalidate');
      ctx.body = PAGE_JS;
      return;
    }
    if (ctx.path !== '/pay' && ctx.path !== '/pay/') return next();
    const settings = await getPaySettings(db);
    // the language the link or the switch asked for, else the browser's
    const lang: Lang = pickLang(typeof ctx.query.lang === 'string' ? ctx.query.lang : null, ctx.get('Accept-Language')) ?? 'en';
    ctx.type = 'text/html; charset=utf-8';
    // the page names the agency from settings that may change: always revalidated
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = renderPayPage(lang, settings);
  };
}
