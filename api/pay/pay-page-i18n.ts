/** The words of the portal's pay page (`/pay`), one block per language; `{agency}` is the agency's name. */
export type Lang = 'en' | 'es';

const en = {
  pageTitle: 'Pay your bill — {agency}',
  heading: 'Pay your bill online',
  intro: 'Use the link from our letter, email or text message, or find your account with your account number, date of birth and ZIP code.',
  switchTo: 'English',
  notice: '{agency} is a debt collector. This is an attempt to collect a debt; any information obtained will be used for that purpose.',
};

const es: typeof en = {
  pageTitle: 'Pague su factura — {agency}',
  heading: 'Pague su factura en línea',
  intro: 'Use el enlace de nuestra carta, correo o mensaje de texto, o busque su cuenta con su número de cuenta, fecha de nacimiento y código postal.',
  switchTo: 'Español',
  notice: '{agency} es un cobrador de deudas. Esto es un intento de cobrar una deuda; cualquier información obtenida se usará con ese fin.',
};

export type PageStrings = typeof en;
export const pageStrings = (lang: Lang): PageStrings => (lang === 'es' ? es : en);
