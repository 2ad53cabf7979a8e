import { fixture, html, expect, oneEvent } from '@open-wc/testing';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import '../../widgets/all.js';
import type { CkPortal } from '../../widgets/portal/portal.js';
import { API, DEMO, signIn, signOut } from './helpers.js';

/** What the client's intranet backend does: sign a short-lived token naming its signed-in user. */
async function intranetToken(privateKey: CryptoKey, clientId: string, username: string) {
  return new SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setIssuer(clientId).setAudience('http://localhost').setSubject(username)
    .setIssuedAt().setExpirationTime('2m')
    .sign(privateKey);
}

describe('ck-portal SSO (sso-token)', () => {
  let privateKey: CryptoKey;
  let cplId: string;

  before(async () => {
    // The agency registers the intranet's public key for Cascade Power & Light.
    const agency = await signIn(DEMO.agency);
    cplId = agency.user!.clients.find((c) => c.name === 'Cascade Power & Light')!.id;
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey as CryptoKey;
    await agency.request('POST', `/clients/${cplId}/sso-keys`, { body: { alg: 'ES256', publicJwk: await exportJWK(pair.publicKey) } });
    await signOut();
  });
  afterEach(signOut);

  it('exchanges the token for a session of the named user, and clears the attribute', async () => {
    const token = await intranetToken(privateKey, cplId, 'demo.client');
    const wrapper = await fixture(html`<div></div>`);
    const portal = document.createElement('ck-portal') as CkPortal;
    portal.api = API;
    portal.setAttribute('sso-token', token);
    const changed = oneEvent(portal, 'ck-session-change');
    wrapper.append(portal);
    const { detail } = await changed;
    expect(detail.user!.username).to.equal('demo.client');
    expect(portal.hasAttribute('sso-token')).to.equal(false);
    expect(portal.user!.username).to.equal('demo.client');
  });

  it('a replayed token is refused with ck-sso-error, and nobody is signed in', async () => {
    const token = await intranetToken(privateKey, cplId, 'demo.client');
    const portal = (await fixture(html`<ck-portal api=${API}></ck-portal>`)) as CkPortal;
    await portal.signInWithToken(token);
    await portal.client.logout();
    const again = (await fixture(html`<div></div>`)) as HTMLElement;
    const second = document.createElement('ck-portal') as CkPortal;
    second.api = API;
    second.setAttribute('sso-token', token);
    const failed = oneEvent(second, 'ck-sso-error');
    again.append(second);
    const { detail } = await failed;
    expect(detail.problem.status).to.equal(401);
    expect(detail.problem.code).to.equal('embed_token_invalid');
    expect(second.user).to.equal(null);
  });
});
