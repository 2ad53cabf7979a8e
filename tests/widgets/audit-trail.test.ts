/**
 * ck-audit-trail's date range: From later than To is said at To (marked invalid, the message linked,
 * the focus there) and nothing is asked of the server — it only said "No entries match these filters".
 */
import { fixture, html, expect, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkAuditTrail } from '../../widgets/audit-trail/audit-trail.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut, type } from './helpers.js';

describe('ck-audit-trail', () => {
  afterEach(signOut);

  it('a backwards range (From after To) is flagged at To and not queried; a good range clears it', async () => {
    await signIn(DEMO.agency);
    const portal = await fixture(html`<ck-portal api=${API}><ck-audit-trail></ck-audit-trail></ck-portal>`);
    const el = portal.querySelector<CkAuditTrail>('ck-audit-trail')!;
    const total = await find(el, '[data-field=total]');
    const before = total.textContent;
    type(el, 'from', '2026-03-10');
    type(el, 'to', '2026-03-01');
    const filter = shadow(el).querySelector<HTMLButtonElement>('form[part=filters] button[type=submit]')!;
    filter.focus();
    filter.click();
    await waitUntil(() => shadow(el).querySelector('#f-to[aria-invalid=true]'), 'To marked invalid');
    expect(shadow(el).querySelector('#f-to')!.getAttribute('aria-describedby')).to.equal('f-to-error');
    expect(shadow(el).querySelector('#f-to-error')!.textContent).to.contain('backwards');
    await waitUntil(() => shadow(el).activeElement?.id === 'f-to', 'the focus on To');
    expect(shadow(el).textContent).to.not.contain('No entries match');
    expect(shadow(el).querySelector('[data-field=total]')!.textContent).to.equal(before);
    await expectAccessible(el);
    type(el, 'to', '2026-03-20');
    filter.click();
    await waitUntil(() => !shadow(el).querySelector('#f-to[aria-invalid=true]'), 'To no longer invalid');
    expect(shadow(el).querySelector('#f-to-error')!.textContent).to.equal('');
  });
});
