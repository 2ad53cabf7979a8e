/**
 * Date-only values (a placement date, `2026-03-05`) are shown as dates: no "12:00 AM", and no day
 * lost west of UTC. The browser runs in one zone, so the formatter is checked with the zone pinned.
 */
import { fixture, html, expect } from '@open-wc/testing';
import '../../widgets/all.js';
import { formatDate, formatDateTime } from '../../widgets/internal/format.js';
import { API, DEMO, find, shadow, signIn, signOut } from './helpers.js';

describe('dates', () => {
  afterEach(signOut);

  it('a date-only value is a date in any time zone; a timestamp keeps its time', () => {
    for (const zone of ['America/Los_Angeles', 'Pacific/Honolulu', 'UTC', 'Asia/Tokyo']) {
      expect(formatDateTime('2026-03-05', 'en-US', zone), zone).to.equal('Mar 5, 2026');
      expect(formatDate('2026-03-05', 'en-US', zone), zone).to.equal('Mar 5, 2026');
    }
    expect(formatDateTime('2026-03-05T18:30:00Z', 'en-US', 'America/Los_Angeles')).to.equal('Mar 5, 2026, 10:30 AM');
    expect(formatDate('2026-03-05T03:00:00Z', 'en-US', 'America/Los_Angeles')).to.equal('Mar 4, 2026');
  });

  it('placement review shows when an account was placed as a date, without a time of day', async () => {
    await signIn(DEMO.agency);
    const el = await fixture(html`<ck-placement-review api=${API}></ck-placement-review>`);
    await find(el, 'tr[data-id] time');
    const shown = [...shadow(el).querySelectorAll('tr[data-id] time')].map((t) => t.textContent!.trim());
    expect(shown.length).to.be.greaterThan(0);
    for (const text of shown) expect(text).to.match(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/);
  });
});
