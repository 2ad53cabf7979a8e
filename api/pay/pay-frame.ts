/**
 * The payment-details frame, served from the API's own origin (GET /api/v1/pay/frame). Card and bank
 * numbers are typed here and sent straight to POST /pay/methods (the gateway tokenises them); the
 * host page and the pay form only ever receive the method's id, brand and last 4 by postMessage.
 *
 * Protocol (window.postMessage, origins checked on both sides):
 *   parent → frame  { type: 'ck-pay-init', token, kind: 'card' | 'ach', lang: 'en' | 'es' }  (and `?lang=` in the frame's URL)
 *                   (`fix`: after a decline for the security code or the expiry, only that is asked again, for the card's kept token)
 *   frame → parent  { type: 'ck-pay-frame-ready' } · { type: 'ck-pay-frame-height', height }
 *                   { type: 'ck-pay-method', method: { id, kind, brand, last4, … } }
 * The frame accepts `ck-pay-init` only from the configured CORS origins and the portal's own origin,
 * and answers only to the origin that sent it. A strict CSP (nonce scripts, connect-src 'self') keeps it self-contained.
 */
import { randomBytes } from 'node:crypto';
import { frameAncestors } from '../platform/http/security-headers.js';
import { LANGS, say, wordsOf, type Lang } from '../../i18n/catalogue.js';

/** The frame's words in each language, from the catalogue's `frame_*` keys (pages module). */
export const FRAME_WORDS: Record<Lang, Record<string, string>> = Object.fromEntries(LANGS.map((lang) => [lang, Object.fromEntries(
  Object.entries(wordsOf(lang, 'pages')).filter(([k]) => k.startsWith('frame_')).map(([k, v]) => [k.slice('frame_'.length), v]),
)])) as Record<Lang, Record<string, string>>;

export function renderPayFrame(allowedOrigins: string[], initialLang: Lang = 'en'): { html: string; csp: string } {
  const nonce = randomBytes(16).toString('base64');
  // This origin plus the registered ones; the development default `*` never lets any page frame the card fields.
  const ancestors = frameAncestors(allowedOrigins);
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; frame-ancestors ${ancestors}; form-action 'none'; base-uri 'none'`;
  const html = `<!doctype html>
<html lang="${initialLang}" class="waiting"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${say(initialLang, 'pages', 'frameTitle')}</title>
<style nonce="${nonce}">
  .waiting body{visibility:hidden}
  body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1f2328;background:transparent}
  form{display:grid;gap:.75rem;padding:2px}
  .row{display:grid;grid-template-columns:1fr 1fr 1fr;gap:.5rem}
  @media (max-width:360px){.row{grid-template-columns:1fr 1fr}}
  label{display:flex;flex-direction:column;gap:.25rem;font-weight:600;font-size:13px}
  input,select{font:inherit;padding:.5rem .75rem;min-height:2.5rem;border:1px solid #8c959f;border-radius:6px;width:100%;box-sizing:border-box;background:#fff;color:inherit}
  input[aria-invalid=true]{border-color:#b42318}
  .error{color:#b42318;font-size:13px;font-weight:400}
  .error:empty,[hidden]{display:none}
  .check{flex-direction:row;align-items:center;font-weight:400}
  .check input{width:auto;min-height:auto}
  button{font:inherit;min-height:2.75rem;border-radius:6px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}
  button:disabled{opacity:.6}
  :focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}
  .hint{color:#57606a;font-size:13px;margin:0}
  button.secondary{background:#fff;color:#1d4ed8}
</style></head>
<body>
<form id="card" novalidate>
  <p id="fix-note" class="hint" role="status" hidden></p>
  <label>${'<span data-t="number"></span>'}<input id="number" name="number" inputmode="numeric" autocomplete="cc-number" aria-describedby="number-error" maxlength="23"><span class="error" id="number-error" role="alert"></span></label>
  <div class="row">
    <label><span data-t="month"></span><input id="expMonth" inputmode="numeric" autocomplete="cc-exp-month" placeholder="MM" maxlength="2" aria-describedby="expMonth-error"><span class="error" id="expMonth-error" role="alert"></span></label>
    <label><span data-t="year"></span><input id="expYear" inputmode="numeric" autocomplete="cc-exp-year" placeholder="YY" maxlength="4" aria-describedby="expYear-error"><span class="error" id="expYear-error" role="alert"></span></label>
    <label><span data-t="cvc"></span><input id="cvc" inputmode="numeric" autocomplete="cc-csc" maxlength="4" aria-describedby="cvc-error"><span class="error" id="cvc-error" role="alert"></span></label>
  </div>
  <label><span data-t="zip"></span><input id="postalCode" inputmode="numeric" autocomplete="postal-code" maxlength="10"></label>
  <label class="check"><input type="checkbox" id="save-card"> <span data-t="save"></span></label>
  <button type="submit" id="card-submit" data-t="useCard"></button>
  <button type="button" id="other-card" class="secondary" data-t="otherCard" hidden></button>
</form>
<form id="ach" novalidate hidden>
  <label><span data-t="holder"></span><input id="holderName" autocomplete="name" aria-describedby="holderName-error"><span class="error" id="holderName-error" role="alert"></span></label>
  <label><span data-t="routing"></span><input id="routingNumber" inputmode="numeric" maxlength="9" aria-describedby="routingNumber-error"><span class="error" id="routingNumber-error" role="alert"></span></label>
  <label><span data-t="account"></span><input id="accountNumber" inputmode="numeric" maxlength="17" aria-describedby="accountNumber-error"><span class="error" id="accountNumber-error" role="alert"></span></label>
  <label><span data-t="type"></span><select id="accountType"><option value="checking" data-t="checking"></option><option value="savings" data-t="savings"></option></select></label>
  <label class="check"><input type="checkbox" id="save-ach"> <span data-t="save"></span></label>
  <button type="submit" id="ach-submit" data-t="useBank"></button>
</form>
<p class="hint" data-t="secure"></p>
<p id="status" class="error" role="status" aria-live="polite"></p>
<script nonce="${nonce}">
(() => {
  const T = ${JSON.stringify(FRAME_WORDS)};
  const ALLOWED = ${JSON.stringify(allowedOrigins)};
  let parentOrigin = null, token = null, lang = ${JSON.stringify(initialLang)}, fix = null;
  const $ = (id) => document.getElementById(id);
  const t = (k) => (T[lang] || T.en)[k];
  function translate() {
    document.documentElement.lang = lang;
    for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
    $('fix-note').textContent = fix ? t(fix.field === 'cvc' ? 'fixCvc' : 'fixExpiry').replace('{card}', fix.label) : '';
  }
  // only the field the decline was about, for the kept card; or the whole card
  function setFix(f) {
    fix = f && typeof f.methodId === 'string' && (f.field === 'cvc' || f.field === 'expiry') ? { methodId: f.methodId, field: f.field, label: String(f.label || '') } : null;
    const hide = (id, h) => { $(id).closest('label').hidden = h; };
    for (const id of ['number', 'postalCode', 'save-card']) hide(id, Boolean(fix));
    hide('expMonth', Boolean(fix) && fix.field === 'cvc'); hide('expYear', Boolean(fix) && fix.field === 'cvc'); hide('cvc', Boolean(fix) && fix.field === 'expiry');
    $('fix-note').hidden = !fix; $('other-card').hidden = !fix;
    translate(); height();
  }
  function post(msg) { if (parentOrigin) parent.postMessage(msg, parentOrigin); }
  function height() { post({ type: 'ck-pay-frame-height', height: document.body.scrollHeight }); }
  function showErrors(errors) {
    for (const el of document.querySelectorAll('.error[id$="-error"]')) el.textContent = '';
    for (const el of document.querySelectorAll('input')) el.removeAttribute('aria-invalid');
    for (const e of errors) {
      const key = e.path.split('.').pop();
      const box = $(key + '-error') || $('status');
      box.textContent = e.message;
      if ($(key)) $(key).setAttribute('aria-invalid', 'true');
    }
    const first = document.querySelector('[aria-invalid=true]');
    if (first) first.focus();
    height();
  }
  async function submit(kind, body, form, url = './methods', created = 201) {
    const button = form.querySelector('button');
    button.disabled = true; $('status').textContent = t('working');
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept-Language': lang, Authorization: 'Bearer ' + token }, body: JSON.stringify(body), credentials: 'omit' });
      const json = await res.json();
      if (res.status === created) {
        // forget the numbers at once: only the token's id, brand and last 4 leave this frame
        for (const el of form.querySelectorAll('input:not([type=checkbox])')) el.value = '';
        showErrors([]);
        $('status').textContent = t('saved');
        post({ type: 'ck-pay-method', method: json });
      } else if (res.status === 401) {
        $('status').textContent = t('expired');
      } else {
        $('status').textContent = json.errors && json.errors.length ? '' : json.detail;
        showErrors(json.errors || []);
      }
    } catch (e) {
      $('status').textContent = t('network');
    } finally { button.disabled = false; height(); }
  }
  $('card').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const year = Number($('expYear').value);
    if (fix) {
      const body = fix.field === 'cvc' ? { cvc: $('cvc').value } : { expMonth: Number($('expMonth').value) || 0, expYear: year < 100 ? 2000 + year : year };
      return submit('card', body, $('card'), './methods/' + encodeURIComponent(fix.methodId) + '/details', 200);
    }
    submit('card', { kind: 'card', number: $('number').value, expMonth: Number($('expMonth').value) || 0, expYear: year < 100 ? 2000 + year : year,
      cvc: $('cvc').value, ...($('postalCode').value ? { postalCode: $('postalCode').value } : {}), save: $('save-card').checked }, $('card'));
  });
  $('other-card').addEventListener('click', () => { setFix(null); $('number').focus(); });
  $('ach').addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit('ach', { kind: 'ach', routingNumber: $('routingNumber').value, accountNumber: $('accountNumber').value, accountType: $('accountType').value,
      holderName: $('holderName').value, save: $('save-ach').checked }, $('ach'));
  });
  window.addEventListener('message', (ev) => {
    const d = ev.data || {};
    if (d.type !== 'ck-pay-init' || ev.source !== parent) return;
    // the registered agency sites, and the portal's own origin (its pay page at /pay)
    if (!ALLOWED.includes('*') && !ALLOWED.includes(ev.origin) && ev.origin !== location.origin) return;
    parentOrigin = ev.origin; token = String(d.token || '');
    lang = d.lang === 'es' ? 'es' : 'en';
    $('card').hidden = d.kind === 'ach'; $('ach').hidden = d.kind !== 'ach';
    setFix(d.kind === 'ach' ? null : d.fix);
    // shown once it speaks the form's language (no English flash before a Spanish init)
    document.documentElement.classList.remove('waiting');
  });
  translate();
  // announce readiness to whoever embeds us; nothing secret is in this message
  parent.postMessage({ type: 'ck-pay-frame-ready' }, '*');
})();
</script>
</body></html>`;
  return { html, csp };
}
