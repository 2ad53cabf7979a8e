/** A second person on the same API (another browser, in effect): signs in with fetch, no shared client. */
import { API } from './helpers.js';

export interface OtherUser {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export async function otherUser(who: { username: string; password: string }): Promise<OtherUser> {
  const login = await fetch(`${API}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(who) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${API}/api/v1${path}`, {
        method, body: body === undefined ? undefined : JSON.stringify(body),
        headers: { Authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      });
      const json = res.status === 204 ? undefined : await res.json();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json as T;
    },
  };
}
