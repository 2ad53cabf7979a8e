/**
 * The languages a debtor can read CollectKit in, and what every catalogue shares: picking the
 * language, filling `{named}` parameters, money and dates written for the language with Intl, and
 * the names of payment methods' brands.
 * Plain TypeScript with no dependencies: the API imports it, and the widget bundle takes only what
 * the pay and dispute forms use.
 */
export type Lang = 'en' | 'es';
export const LANGS: readonly Lang[] = ['en', 'es'];

/** The Intl locale of each language (US debts, so US Spanish: "$1,234.56", "7 de diciembre de 2026"). */
export const LOCALES: Record<Lang, string> = { en: 'en-US', es: 'es-US' };

export const isLang = (value: unknown): value is Lang => value === 'en' || value === 'es';

/**
 * The language to answer in: the first of the candidates that names one we speak. A candidate may be
 * a bare tag (`es`, `es-MX`) or an Accept-Language header (`es-US,es;q=0.9,en;q=0.8`), read in order
 * of preference.
 */
export function pickLang(...candidates: (string | null | undefined)[]): Lang | null {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const tags = candidate.split(',')
      .map((part, i) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
        return { tag: tag.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, i };
      })
      .filter((t) => t.q > 0)
      .sort((a, b) => b.q - a.q || a.i - b.i);
    for (const { tag } of tags) {
      const base = tag.split('-')[0];
      if (isLang(base)) return base;
    }
  }
  return null;
}

export type Params = Record<string, string | number>;

/** `interpolate('Pay {amount}', { amount: '$5.00' })`: a missing parameter becomes an empty string. */
export function interpolate(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** Integer cents as the language writes money: `$1,234.56` in both (US dollars). */
export function money(cents: number, currency: string, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency }).format(cents / 100);
}

/** An ISO date (`2026-12-07`, or a timestamp) as the language writes it: "December 7, 2026" / "7 de diciembre de 2026". */
export function longDate(iso: string, lang: Lang): string {
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/**
 * A payment method's brand as a debtor reads it, the same on screen, in the agreement and in the
 * emails: card networks as they write their names ("Visa", "American Express"), bank account types
 * and wallets in the reader's language, and a code no table knows (a gateway's new brand) as words
 * ("cartes_bancaires" → "Cartes bancaires"), never the raw key.
 */
const BRANDS: Record<string, string> = {
  visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover', diners: 'Diners Club', jcb: 'JCB', unionpay: 'UnionPay',
  sandbox_wallet: 'Sandbox Wallet', wallet: 'Wallet', checking: 'Checking', savings: 'Savings',
};
const BRANDS_ES: Record<string, string> = { sandbox_wallet: 'Billetera Sandbox', wallet: 'Billetera', checking: 'Corriente', savings: 'Ahorros' };

export function brandName(brand: string | null | undefined, lang: Lang = 'en'): string {
  if (!brand) return '';
  const known = (lang === 'es' ? BRANDS_ES[brand] : undefined) ?? BRANDS[brand];
  return known ?? brand.charAt(0).toUpperCase() + brand.slice(1).replace(/_/g, ' ');
}
