/** The dispute form's words in English and Spanish (the debtor flow speaks both, like ck-pay-form). */
export type Lang = 'en' | 'es';

const en = {
  chooseAccount: 'Choose an account.',
  signIn: 'Sign in to see this account.',
  loading: 'Loading…',
  aboutDebt: 'About this debt',
  owedTo: 'Owed to',
  originalCreditor: 'Original creditor',
  accountNumber: 'Account number',
  caption: 'What you owe, and how it changed since {date}',
  balanceOn: 'Balance on {date} ({reference})',
  ref_charge_off: 'charge-off date',
  ref_transaction: 'date of service',
  ref_placement: 'date placed with us',
  interest: 'Interest added since then',
  fees: 'Fees added since then',
  payments: 'Payments since then',
  credits: 'Credits since then',
  currentAmount: 'Current amount',
  formHeading: 'Dispute this debt or ask about it',
  whatToDo: 'What would you like to do?',
  disputeAll: 'I dispute all of this debt',
  disputePart: 'I dispute part of this debt',
  askCreditor: 'Send me the name and address of the original creditor',
  chooseAction: 'Choose what you would like to do.',
  amount: 'Amount you dispute',
  amountInvalid: 'Enter the amount you dispute, like 125.00.',
  reason: 'Reason',
  reason_not_mine: 'This is not my debt',
  reason_wrong_amount: 'The amount is wrong',
  reason_already_paid: 'I already paid it',
  reason_not_owed: 'I do not owe it for another reason',
  reason_identity_theft: 'Identity theft',
  reason_other: 'Something else',
  tellMore: 'Tell us more (needed for "Something else")',
  addAnything: 'Anything you want to add (optional)',
  document: 'Supporting document (optional)',
  documentHint: 'A PDF, a photo or a scan of a letter or receipt. It is kept with your dispute.',
  send: 'Send',
  sending: 'Sending…',
  disputeReceived: 'Dispute received',
  requestReceived: 'Request received',
  reference: 'Your reference:',
  staffDisputeDone: 'The dispute is recorded and collection on this account has stopped. The debtor will be sent verification of the debt.',
  staffRequestDone: 'The request is recorded and collection on this account has stopped. The debtor will be sent the original creditor’s name and address.',
};

export type MessageKey = keyof typeof en;

const es: Record<MessageKey, string> = {
  chooseAccount: 'Elija una cuenta.',
  signIn: 'Inicie sesión para ver esta cuenta.',
  loading: 'Cargando…',
  aboutDebt: 'Sobre esta deuda',
  owedTo: 'Se le debe a',
  originalCreditor: 'Acreedor original',
  accountNumber: 'Número de cuenta',
  caption: 'Lo que debe y cómo cambió desde el {date}',
  balanceOn: 'Saldo al {date} ({reference})',
  ref_charge_off: 'fecha de cancelación contable',
  ref_transaction: 'fecha del servicio',
  ref_placement: 'fecha en que nos la asignaron',
  interest: 'Intereses añadidos desde entonces',
  fees: 'Cargos añadidos desde entonces',
  payments: 'Pagos desde entonces',
  credits: 'Créditos desde entonces',
  currentAmount: 'Monto actual',
  formHeading: 'Disputar esta deuda o pedir información',
  whatToDo: '¿Qué desea hacer?',
  disputeAll: 'Disputo toda esta deuda',
  disputePart: 'Disputo parte de esta deuda',
  askCreditor: 'Envíenme el nombre y la dirección del acreedor original',
  chooseAction: 'Elija lo que desea hacer.',
  amount: 'Monto que disputa',
  amountInvalid: 'Escriba el monto que disputa, por ejemplo 125.00.',
  reason: 'Motivo',
  reason_not_mine: 'Esta deuda no es mía',
  reason_wrong_amount: 'El monto es incorrecto',
  reason_already_paid: 'Ya la pagué',
  reason_not_owed: 'No la debo por otro motivo',
  reason_identity_theft: 'Robo de identidad',
  reason_other: 'Otro motivo',
  tellMore: 'Cuéntenos más (necesario para "Otro motivo")',
  addAnything: 'Algo que quiera añadir (opcional)',
  document: 'Documento de respaldo (opcional)',
  documentHint: 'Un PDF, una foto o un escaneo de una carta o un recibo. Se guarda con su disputa.',
  send: 'Enviar',
  sending: 'Enviando…',
  disputeReceived: 'Disputa recibida',
  requestReceived: 'Solicitud recibida',
  reference: 'Su referencia:',
  staffDisputeDone: 'La disputa quedó registrada y se detuvo el cobro de esta cuenta. Se enviará al deudor la verificación de la deuda.',
  staffRequestDone: 'La solicitud quedó registrada y se detuvo el cobro de esta cuenta. Se enviará al deudor el nombre y la dirección del acreedor original.',
};

/**
 * Staff (client or agency users in a portal) record what a debtor said by phone or mail: the form
 * speaks about the debtor, not as the debtor.
 */
const staffEn: Partial<Record<MessageKey, string>> = {
  caption: 'What is owed, and how it changed since {date}',
  formHeading: 'Record a dispute or a request from the debtor',
  whatToDo: 'What did the debtor ask for?',
  disputeAll: 'The debtor disputes all of this debt',
  disputePart: 'The debtor disputes part of this debt',
  askCreditor: 'The debtor asks for the name and address of the original creditor',
  chooseAction: 'Choose what the debtor asked for.',
  amount: 'Amount disputed',
  amountInvalid: 'Enter the amount disputed, like 125.00.',
  reason_not_mine: 'Not the debtor’s debt',
  reason_wrong_amount: 'The amount is wrong',
  reason_already_paid: 'Already paid',
  reason_not_owed: 'Not owed for another reason',
  reason_identity_theft: 'Identity theft',
  reason_other: 'Something else',
  tellMore: 'What the debtor said (needed for "Something else")',
  addAnything: 'Notes (optional)',
  documentHint: 'A PDF, a photo or a scan of the debtor’s letter or receipt. It is kept with the dispute.',
  reference: 'Reference:',
};

const staffEs: Partial<Record<MessageKey, string>> = {
  caption: 'Lo que se debe y cómo cambió desde el {date}',
  formHeading: 'Registrar una disputa o una solicitud del deudor',
  whatToDo: '¿Qué pidió el deudor?',
  disputeAll: 'El deudor disputa toda esta deuda',
  disputePart: 'El deudor disputa parte de esta deuda',
  askCreditor: 'El deudor pide el nombre y la dirección del acreedor original',
  chooseAction: 'Elija lo que pidió el deudor.',
  amount: 'Monto disputado',
  amountInvalid: 'Escriba el monto disputado, por ejemplo 125.00.',
  reason_not_mine: 'La deuda no es del deudor',
  reason_already_paid: 'Ya se pagó',
  reason_not_owed: 'No se debe por otro motivo',
  tellMore: 'Lo que dijo el deudor (necesario para "Otro motivo")',
  addAnything: 'Notas (opcional)',
  documentHint: 'Un PDF, una foto o un escaneo de la carta o el recibo del deudor. Se guarda con la disputa.',
  reference: 'Referencia:',
};

const TABLES: Record<Lang, Record<MessageKey, string>> = { en, es };
const STAFF: Record<Lang, Partial<Record<MessageKey, string>>> = { en: staffEn, es: staffEs };

/** A message in `lang`; `staff` words it for portal users recording what a debtor said. */
export function translate(lang: Lang, key: MessageKey, values: Record<string, string> = {}, staff = false): string {
  const text = (staff ? STAFF[lang][key] : undefined) ?? TABLES[lang][key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

/** Every message in one language (tests check a Spanish run shows none of the English ones). */
export const allMessages = (lang: Lang): Record<string, string> => ({ ...(lang === 'es' ? es : en) });
