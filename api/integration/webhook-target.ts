/**
 * Where a webhook may be delivered: never to this machine or the agency's own network (SSRF), unless
 * the operator says so (WEBHOOK_ALLOW_PRIVATE=1, for on-premise receivers).
 *
 * A URL's host is resolved and *every* address it resolves to must be public: loopback, private,
 * shared (CGNAT), link-local (cloud metadata at 169.254.169.254), unique-local, multicast, reserved and
 * documentation ranges are refused, in IPv4 and IPv6, including IPv4 addresses wrapped in IPv6
 * (`::ffff:127.0.0.1`, NAT64, 6to4). This runs when an endpoint is registered and again before every
 * delivery; the delivery then connects to the address it checked (pinned), so a DNS answer that changes
 * between the check and the connection (rebinding) cannot move it.
 */
import { lookup } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';

export interface ResolvedTarget { address: string; family: 4 | 6 }

export type TargetCheck =
  | { ok: true; target: ResolvedTarget }
  | { ok: false; code: 'target_forbidden' | 'target_unresolved'; reason: string };

const LOOKUP_TIMEOUT_MS = 5_000;

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

const V4_BLOCKS: [string, number, string][] = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function v4Problem(ip: string): string | null {
  const n = v4ToInt(ip);
  for (const [base, bits, what] of V4_BLOCKS) {
    const size = 2 ** (32 - bits);
    const start = v4ToInt(base);
    if (n >= start && n < start + size) return what;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail included). */
function v6Groups(ip: string): number[] {
  let text = ip.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToInt(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(Math.max(0, 8 - h.length - t.length)).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

const v4FromGroups = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

function v6Problem(ip: string): string | null {
  const g = v6Groups(ip);
  if (g.length !== 8 || g.some((x) => Number.isNaN(x))) return 'not an address';
  const zeroTo = (k: number) => g.slice(0, k).every((x) => x === 0);
  if (zeroTo(8)) return 'unspecified';
  if (zeroTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible (::a.b.c.d): judged as IPv4
  if (zeroTo(5) && g[5] === 0xffff) return v4Problem(v4FromGroups(g[6]!, g[7]!));
  if (zeroTo(6)) return v4Problem(v4FromGroups(g[6]!, g[7]!)) ?? 'IPv4-compatible';
  // NAT64 (64:ff9b::/96) reaches the embedded IPv4 address
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4Problem(v4FromGroups(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'local-use NAT64';
  // 6to4 (2002::/16) embeds an IPv4 address in bits 16–48
  if (g[0] === 0x2002) return v4Problem(v4FromGroups(g[1]!, g[2]!));
  if (g[0] === 0x2001 && g[1] === 0) return 'Teredo';
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'documentation';
  if (g[0] === 0x100 && zeroTo(4)) return 'discard-only';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'site-local';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  return null;
}

/** Why an IP address is not a public one (`loopback`, `private`, …), or null when it is. */
export function nonPublicAddress(ip: string): string | null {
  if (isIPv4(ip)) return v4Problem(ip);
  if (isIPv6(ip)) return v6Problem(ip);
  return 'not an address';
}

/** The host of a URL as DNS or an IP literal sees it (`[::1]` → `::1`). */
export function urlHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

async function resolveAll(host: string): Promise<ResolvedTarget[]> {
  if (isIPv4(host)) return [{ address: host, family: 4 }];
  if (isIPv6(host)) return [{ address: host, family: 6 }];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'ETIMEOUT' })), LOOKUP_TIMEOUT_MS);
  });
  try {
    const found = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves the URL's host and checks every address. With `allowPrivate` only the resolution is
 * required. The first address is the one to connect to.
 */
export async function checkWebhookTarget(url: URL, allowPrivate: boolean): Promise<TargetCheck> {
  const host = urlHost(url);
  let addresses: ResolvedTarget[];
  try {
    addresses = await resolveAll(host);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'lookup failed';
    return { ok: false, code: 'target_unresolved', reason: `${host} does not resolve (${code})` };
  }
  if (!addresses.length) return { ok: false, code: 'target_unresolved', reason: `${host} does not resolve` };
  if (!allowPrivate) {
    for (const a of addresses) {
      const problem = nonPublicAddress(a.address);
      // One non-public answer refuses the name: a mix lets DNS choose the internal one.
      if (problem) return { ok: false, code: 'target_forbidden', reason: `${host} resolves to a ${problem} address (${a.address}); set WEBHOOK_ALLOW_PRIVATE=1 to deliver inside your network` };
    }
  }
  return { ok: true, target: addresses[0]! };
}
