import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkUserAdmin } from '../../widgets/user-admin/user-admin.js';
import { setViewport } from '@web/test-runner-commands';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut, type } from './helpers.js';

async function mount(): Promise<CkUserAdmin> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-user-admin></ck-user-admin></ck-portal>`);
  const el = portal.querySelector('ck-user-admin')!;
  await find(el, 'table, [part=empty], [part=error][role=alert]');
  return el;
}

const usernames = (el: Element) => [...shadow(el).querySelectorAll('tr[part=row]')].map((r) => r.getAttribute('data-user'));
const row = (el: Element, username: string) => shadow(el).querySelector(`tr[data-user="${username}"]`)!;
const notice = (el: Element) => shadow(el).querySelector('[part=notice]')!.textContent!.trim();
const post = async (path: string, body: unknown, token?: string) => {
  const res = await fetch(`${API}/api/v1${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => null) };
};

describe('ck-user-admin', () => {
  afterEach(signOut);

  it('asks to sign in when signed out', async () => {
    const portal = await fixture(html`<ck-portal api=${API}><ck-user-admin></ck-user-admin></ck-portal>`);
    const el = portal.querySelector('ck-user-admin')!;
    await el.updateComplete;
    expect(shadow(el).textContent).to.contain('Sign in to manage users.');
  });

  it('an agency admin creates a user, sees the issued password once, and disabling ends their session', async () => {
    const agency = await signIn(DEMO.agency);
    // more than a page of users sort before the new one: the list must still show it after creating
    const mine = await agency.get<{ clients: { id: string; name: string }[] }>('/me');
    const roles = (await agency.get<{ data: { id: string; name: string }[] }>('/roles')).data;
    const clientViewer = roles.find((r) => r.name.startsWith('Client viewer'))!;
    for (let i = 0; i < 11; i++) {
      await agency.request('POST', '/users', { body: { firstName: 'Page', lastName: `Filler ${i}`, username: `page.filler${i}`, email: `page.filler${i}@cascadepower.example`, roleId: clientViewer.id, clientIds: [mine.clients[0]!.id] } }).catch(() => undefined);
    }
    const el = await mount();
    expect(usernames(el)).to.include.members(['demo.agency', 'demo.client', 'demo.group']);
    await expectAccessible(el);

    shadow(el).querySelector<HTMLButtonElement>('[data-action=new]')!.click();
    const select = await find<HTMLSelectElement>(el, 'select[name=roleId] option:not([value=""])');
    expect(select).to.exist;
    const roleSelect = shadow(el).querySelector<HTMLSelectElement>('select[name=roleId]')!;
    const viewer = [...roleSelect.options].find((o) => o.textContent!.startsWith('Client viewer'))!;
    type(el, 'roleId', viewer.value);
    await el.updateComplete;
    type(el, 'firstName', 'Wendy');
    type(el, 'lastName', 'Widget');
    type(el, 'username', 'wendy.widget');
    type(el, 'email', 'wendy.widget@cascadepower.example');
    const cpl = [...shadow(el).querySelectorAll<HTMLInputElement>('input[name=clientIds]')].find((c) => c.parentElement!.textContent!.includes('Cascade'))!;
    cpl.checked = true;
    await expectAccessible(el);
    const created = oneEvent(el, 'ck-user-created');
    shadow(el).querySelector<HTMLButtonElement>('form.create button[type=submit]')!.click();
    const { detail } = await created;
    expect(detail.user).to.include({ username: 'wendy.widget', status: 'active' });
    await waitUntil(() => notice(el).startsWith('Created wendy.widget'), 'the issued password notice');
    const issued = /shown only now: (\S+) —/.exec(notice(el))![1]!;
    await waitUntil(() => usernames(el).includes('wendy.widget'), 'the new user in the table');
    expect(row(el, 'wendy.widget').textContent).to.contain('Cascade Power & Light');

    // the new user signs in (a session of their own), then the admin disables them
    const login = await post('/auth/login', { username: 'wendy.widget', password: issued });
    expect(login.status).to.equal(200);
    const disable = row(el, 'wendy.widget').querySelector<HTMLButtonElement>('[data-action=disable]')!;
    expect(disable.getAttribute('aria-label')).to.equal('Disable Wendy Widget');
    disable.click();
    await waitUntil(() => row(el, 'wendy.widget')?.querySelector('[data-field=status]')!.textContent!.startsWith('Disabled'), 'the row to say Disabled', { timeout: 10000 });
    expect(notice(el)).to.contain('sessions have ended');
    const me = await fetch(`${API}/api/v1/me`, { headers: { Authorization: `Bearer ${login.body.accessToken}` } });
    expect(me.status).to.equal(401);
    expect((await post('/auth/refresh', { refreshToken: login.body.refreshToken })).status).to.equal(401);
  });

  it('shows the server\'s message for a bad new user, next to the form', async () => {
    await signIn(DEMO.agency);
    const el = await mount();
    shadow(el).querySelector<HTMLButtonElement>('[data-action=new]')!.click();
    await find(el, 'select[name=roleId] option:not([value=""])');
    type(el, 'firstName', 'Dup');
    type(el, 'lastName', 'Licate');
    type(el, 'username', 'demo.client');
    type(el, 'email', 'dup@example.test');
    shadow(el).querySelector<HTMLButtonElement>('form.create button[type=submit]')!.click();
    await waitUntil(() => shadow(el).querySelector('form.create [part=error]')!.textContent!.trim() !== '', 'an error');
    expect(shadow(el).querySelector('form.create [part=error]')!.textContent).to.contain('already in use');
  });

  it('a client administrator sees only their own client\'s users and can hand out client roles only', async () => {
    await signIn(DEMO.client);
    const el = await mount();
    const names = usernames(el);
    expect(names).to.include('demo.client');
    expect(names).not.to.include('demo.group');
    expect(names).not.to.include('demo.agency');
    shadow(el).querySelector<HTMLButtonElement>('[data-action=new]')!.click();
    await find(el, 'select[name=roleId] option:not([value=""])');
    const roles = [...shadow(el).querySelectorAll('select[name=roleId] option')].map((o) => o.textContent!.trim());
    expect(roles.some((r) => r.startsWith('Agency'))).to.equal(false);
    const clientBoxes = [...shadow(el).querySelectorAll('input[name=clientIds]')].map((c) => c.parentElement!.textContent!.trim());
    expect(clientBoxes).to.deep.equal(['Cascade Power & Light']);
    await expectAccessible(el);
  });

  it('on a phone, from the keyboard: a name reads on its own line, and the focus follows New user, Cancel and a row\'s action', async () => {
    const agency = await signIn(DEMO.agency);
    const roles = (await agency.get<{ data: { id: string; name: string }[] }>('/roles')).data;
    const mine = await agency.get<{ clients: { id: string }[] }>('/me');
    await agency.request('POST', '/users', { body: { firstName: 'Florence', lastName: 'Focuswalker', username: 'florence.focus', email: 'florence.focuswalker@cascadepower.example', roleId: roles.find((r) => r.name.startsWith('Client viewer'))!.id, clientIds: [mine.clients[0]!.id] } });
    await setViewport({ width: 390, height: 844 });
    try {
      const el = await mount();
      type(el, 'q', 'florence.focus');
      shadow(el).querySelector<HTMLButtonElement>('form[role=search] button[type=submit]')!.click();
      await waitUntil(() => usernames(el).join() === 'florence.focus', 'only the new user listed');
      // the card's Name cell: the name on one line, the email under it (they sat side by side, the name
      // broken mid-word: "Focuswalk / er")
      const nameText = [...row(el, 'florence.focus').querySelector('td[data-label=Name]')!.querySelectorAll('*'), row(el, 'florence.focus').querySelector('td[data-label=Name]')!]
        .flatMap((n) => [...n.childNodes]).find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.includes('Florence'))!;
      const range = document.createRange();
      range.selectNodeContents(nameText);
      expect(new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size, 'lines the name takes').to.equal(1);
      const email = row(el, 'florence.focus').querySelector('td[data-label=Name] .muted')!.getBoundingClientRect();
      expect(email.top).to.be.greaterThan(range.getBoundingClientRect().bottom - 1);

      const press = (selector: string) => {
        const button = shadow(el).querySelector<HTMLButtonElement>(selector)!;
        button.focus();
        button.click();
      };
      press('[data-action=new]');
      await waitUntil(() => shadow(el).activeElement?.id === 'new-firstName', 'the focus on First name', { timeout: 5000 });
      press('form.create button[type=button]');
      await waitUntil(() => shadow(el).activeElement?.getAttribute('data-action') === 'new', 'the focus back on New user', { timeout: 5000 });
      press('tr[data-user="florence.focus"] [data-action=issue-password]');
      await waitUntil(() => notice(el).startsWith('New password for florence.focus'), 'the new password notice', { timeout: 10000 });
      await waitUntil(() => shadow(el).activeElement?.getAttribute('part') === 'notice', 'the focus on the notice', { timeout: 5000 });
      await expectAccessible(el);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('at 780 px (a tablet, the console beside it) nothing overflows: the table fits or turns into cards', async () => {
    await signIn(DEMO.agency);
    await setViewport({ width: 780, height: 900 });
    try {
      const el = await mount();
      await find(el, 'tr[part=row]');
      const host = el.getBoundingClientRect();
      const wide = [...shadow(el).querySelectorAll<HTMLElement>('table, tr, td, th, button, input, select')]
        .filter((e) => e.getBoundingClientRect().right > host.right + 0.5)
        .map((e) => `${e.tagName.toLowerCase()}${e.dataset.label ? `[${e.dataset.label}]` : ''} ${Math.round(e.getBoundingClientRect().right)} > ${Math.round(host.right)}`);
      expect(wide.slice(0, 5)).to.deep.equal([]);
      expect(document.documentElement.scrollWidth).to.be.at.most(780);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('finds users by name and says so when none match', async () => {
    await signIn(DEMO.agency);
    const el = await mount();
    type(el, 'q', 'no-such-person-xyz');
    shadow(el).querySelector<HTMLButtonElement>('form[role=search] button[type=submit]')!.click();
    const empty = await find(el, '[part=empty]');
    expect(empty.textContent).to.contain('No users match');
    expect(empty.getAttribute('role')).to.equal('status');
  });
});
