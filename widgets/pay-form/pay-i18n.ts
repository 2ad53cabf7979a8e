/** The pay flow's words in English and Spanish (F-PAY 9). Server messages arrive in English. */
export type Lang = 'en' | 'es';

const en = {
  title: 'Make a payment',
  stepFind: 'Find your account', stepContact: 'Your contact details', stepOffers: 'Offers for you', stepAmount: 'Amount', stepMethod: 'Payment method',
  stepReview: 'Review and sign', stepDone: 'Confirmation', stepOf: 'Step {n} of {total}',
  findBy: 'Find by', byAccount: 'Account number', bySsn: 'Last 4 of SSN', accountNumber: 'Account number', ssnLast4: 'Last 4 digits of your SSN',
  dob: 'Date of birth', zip: 'ZIP code', find: 'Find my account', opening: 'Opening your account…', chooseAccount: 'Choose the account to pay',
  required: 'This field is required.',
  owedTo: 'Owed to', balance: 'Balance', payable: 'You can pay up to', account: 'Account',
  contactIntro: 'Check the contact details we have for you. Add a new email or mobile number if they changed.', email: 'Email', phone: 'Phone', looksRight: 'Continue',
  newEmail: 'New email (optional)', newMobile: 'New mobile number (optional)',
  offerSettlement: 'Settle for {amount}', offerSettlementDetail: '{percent}% of your balance — save {savings}. Pay by {date}.',
  offerPlan: '{n} payments of about {amount}', offerPlanDetail: '{frequency} payments covering your balance of {balance}.',
  weekly: 'Weekly', biweekly: 'Every two weeks', monthly: 'Monthly', offerExpires: 'Offer ends {date}.', acceptOffer: 'Choose this offer', skipOffer: 'Pay a different amount',
  amount: 'Amount to pay (USD)', amountHint: 'Between {min} and {max}.', fullBalance: 'Pay {amount} (full balance)', payOn: 'Payment date', payOnHint: 'Today, or a later date up to {days} days ahead.',
  continue: 'Continue', back: 'Back', invalidAmount: 'Enter an amount like 25.00.',
  methodCard: 'Card', methodBank: 'Bank account (ACH)', methodWallet: 'Wallet', savedMethods: 'Saved methods', useSaved: 'Use {brand} ending {last4}',
  walletPay: 'Pay with Sandbox Wallet', frameTitle: 'Card or bank details (secure frame)',
  review: 'Review', paying: 'Amount', on: 'Date', today: 'Today', with: 'Paid with', agreement: 'Payment agreement', typedName: 'Type your full name to sign',
  agree: 'I have read and agree to the payment agreement.', mustAgree: 'Tick the box to accept the agreement.', payNow: 'Pay {amount}', schedule: 'Schedule {amount}', acceptAndSign: 'Sign and accept',
  processing: 'Processing your payment…', declined: 'The payment was declined: {reason}', tryAnother: 'Try another payment method.',
  thanks: 'Thank you! Your payment was received.', scheduledThanks: 'Your payment is scheduled.', planThanks: 'Your plan is set up.', receipt: 'Receipt', print: 'Print receipt',
  emailReceipt: 'Email for the receipt (optional)', consentEmail: 'Send my receipt and payment notices by email: I agree to receive them electronically.', schedulePlan: 'Payment schedule', instalment: 'Payment {n}',
};

const es: typeof en = {
  title: 'Realizar un pago',
  stepFind: 'Encuentre su cuenta', stepContact: 'Sus datos de contacto', stepOffers: 'Ofertas para usted', stepAmount: 'Monto', stepMethod: 'Método de pago',
  stepReview: 'Revisar y firmar', stepDone: 'Confirmación', stepOf: 'Paso {n} de {total}',
  findBy: 'Buscar por', byAccount: 'Número de cuenta', bySsn: 'Últimos 4 del SSN', accountNumber: 'Número de cuenta', ssnLast4: 'Últimos 4 dígitos de su SSN',
  dob: 'Fecha de nacimiento', zip: 'Código postal', find: 'Buscar mi cuenta', opening: 'Abriendo su cuenta…', chooseAccount: 'Elija la cuenta a pagar',
  required: 'Este campo es obligatorio.',
  owedTo: 'Acreedor', balance: 'Saldo', payable: 'Puede pagar hasta', account: 'Cuenta',
  contactIntro: 'Revise sus datos de contacto. Agregue un correo o celular nuevo si cambiaron.', email: 'Correo electrónico', phone: 'Teléfono', looksRight: 'Continuar',
  newEmail: 'Correo nuevo (opcional)', newMobile: 'Celular nuevo (opcional)',
  offerSettlement: 'Liquide por {amount}', offerSettlementDetail: '{percent}% de su saldo — ahorra {savings}. Pague antes del {date}.',
  offerPlan: '{n} pagos de aproximadamente {amount}', offerPlanDetail: 'Pagos {frequency} que cubren su saldo de {balance}.',
  weekly: 'semanales', biweekly: 'quincenales', monthly: 'mensuales', offerExpires: 'La oferta vence el {date}.', acceptOffer: 'Elegir esta oferta', skipOffer: 'Pagar otro monto',
  amount: 'Monto a pagar (USD)', amountHint: 'Entre {min} y {max}.', fullBalance: 'Pagar {amount} (saldo total)', payOn: 'Fecha de pago', payOnHint: 'Hoy, o una fecha de hasta {days} días.',
  continue: 'Continuar', back: 'Atrás', invalidAmount: 'Ingrese un monto como 25.00.',
  methodCard: 'Tarjeta', methodBank: 'Cuenta bancaria (ACH)', methodWallet: 'Billetera', savedMethods: 'Métodos guardados', useSaved: 'Usar {brand} terminada en {last4}',
  walletPay: 'Pagar con Sandbox Wallet', frameTitle: 'Datos de tarjeta o banco (marco seguro)',
  review: 'Revisión', paying: 'Monto', on: 'Fecha', today: 'Hoy', with: 'Pagado con', agreement: 'Acuerdo de pago', typedName: 'Escriba su nombre completo para firmar',
  agree: 'He leído y acepto el acuerdo de pago.', mustAgree: 'Marque la casilla para aceptar el acuerdo.', payNow: 'Pagar {amount}', schedule: 'Programar {amount}', acceptAndSign: 'Firmar y aceptar',
  processing: 'Procesando su pago…', declined: 'El pago fue rechazado: {reason}', tryAnother: 'Pruebe otro método de pago.',
  thanks: '¡Gracias! Recibimos su pago.', scheduledThanks: 'Su pago está programado.', planThanks: 'Su plan está listo.', receipt: 'Recibo', print: 'Imprimir recibo',
  emailReceipt: 'Correo para el recibo (opcional)', consentEmail: 'Enviar mi recibo y avisos de pago por correo: acepto recibirlos electrónicamente.', schedulePlan: 'Calendario de pagos', instalment: 'Pago {n}',
};

export type MessageKey = keyof typeof en;
const MESSAGES: Record<Lang, typeof en> = { en, es };

/** `t('payNow', { amount: '$5.00' })` in the element's language. */
export function translate(lang: Lang, key: MessageKey, values: Record<string, string | number> = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
}
