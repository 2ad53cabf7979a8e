/** The pay flow's words in English and Spanish (F-PAY 9). Declines are shown from their code, in the element's language. */
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
  stepAccount: 'Your account', stepPayments: 'Your payments',
  validationIntro: 'Before you pay: this is who the debt is owed to and how the amount was reached. If something is wrong, you can dispute it here.',
  continueToPay: 'Continue to payment', myPayments: 'Your payments ({n})', seePayments: 'See your payments',
  statusPaid: 'Paid', statusPending: 'Pending', statusDeclined: 'Declined', statusRetry: 'Declined — we will try again on {date}', statusCancelled: 'Cancelled',
  planTitle: 'Payment plan', planActive: 'active', planCompleted: 'completed', planPaused: 'paused by the agency', planCancelledStatus: 'cancelled', paymentsTitle: 'Payments', payment: 'Payment',
  cancelPlan: 'Cancel the plan', confirmCancelPlan: 'Yes, cancel the plan', cancelPayment: 'Cancel this payment', confirmCancelPayment: 'Yes, cancel this payment',
  planCancelled: 'Your plan was cancelled. No more payments will be taken.', paymentCancelled: 'The payment was cancelled.',
  planDeclined: 'Your plan is not set up: the first payment was declined: {reason}', trySame: 'This was not a problem with your card: you can try again with it.',
  tryAgain: 'Try again with {brand} •••• {last4}',
  receiptWhen: 'Your receipt will be emailed shortly; between 9 pm and 8 am it waits until 8 am.',
  decline_card_declined: 'The card was declined by the bank.', decline_insufficient_funds: 'The account has insufficient funds.', decline_expired_card: 'The card has expired.',
  decline_incorrect_cvc: 'The security code is incorrect.', decline_processing_error: 'The payment could not be processed.', decline_account_closed: 'The bank account is closed.',
  decline_wallet_declined: 'The wallet payment was declined.',
  payRemaining: 'Pay {amount} (all that is not already scheduled)', tabBank: 'Bank (ACH)',
  receiptSoon: 'Your receipt will be emailed to {email} in a few minutes.',
  receiptHeld: 'Your receipt will be emailed to {email} on {time}: we send messages only between 8 am and 9 pm your time.',
  receiptSent: 'Your receipt was emailed to {email} on {time}.', receiptNotSent: 'Your receipt was not emailed.',
  receiptSendNow: 'Send the receipt now', receiptResend: 'Email the receipt again', receiptOnItsWay: 'The receipt is on its way to {email}.',
  scheduledOn: 'Your payment of {amount} will be taken on {date}.', consentNeedsEmail: 'Type the email address for the receipt and notices.',
  retypeCvc: 'Type the security code again (the card number is kept), or use another method.', retypeExpiry: 'Type the expiry date again (the card number is kept), or use another method.',
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
  stepAccount: 'Su cuenta', stepPayments: 'Sus pagos',
  validationIntro: 'Antes de pagar: a quién se le debe y cómo se llegó al monto. Si algo no está bien, puede disputarlo aquí.',
  continueToPay: 'Continuar al pago', myPayments: 'Sus pagos ({n})', seePayments: 'Ver sus pagos',
  statusPaid: 'Pagado', statusPending: 'Pendiente', statusDeclined: 'Rechazado', statusRetry: 'Rechazado — lo intentaremos de nuevo el {date}', statusCancelled: 'Cancelado',
  planTitle: 'Plan de pagos', planActive: 'activo', planCompleted: 'completado', planPaused: 'pausado por la agencia', planCancelledStatus: 'cancelado', paymentsTitle: 'Pagos', payment: 'Pago',
  cancelPlan: 'Cancelar el plan', confirmCancelPlan: 'Sí, cancelar el plan', cancelPayment: 'Cancelar este pago', confirmCancelPayment: 'Sí, cancelar este pago',
  planCancelled: 'Su plan fue cancelado. No se cobrarán más pagos.', paymentCancelled: 'El pago fue cancelado.',
  planDeclined: 'Su plan no está listo: el primer pago fue rechazado: {reason}', trySame: 'No fue un problema de su tarjeta: puede intentarlo de nuevo con ella.',
  tryAgain: 'Intentar de nuevo con {brand} •••• {last4}',
  receiptWhen: 'Su recibo llegará por correo en breve; entre las 9 pm y las 8 am espera hasta las 8 am.',
  decline_card_declined: 'El banco rechazó la tarjeta.', decline_insufficient_funds: 'La cuenta no tiene fondos suficientes.', decline_expired_card: 'La tarjeta está vencida.',
  decline_incorrect_cvc: 'El código de seguridad es incorrecto.', decline_processing_error: 'No se pudo procesar el pago.', decline_account_closed: 'La cuenta bancaria está cerrada.',
  decline_wallet_declined: 'La billetera rechazó el pago.',
  payRemaining: 'Pagar {amount} (todo lo que aún no está programado)', tabBank: 'Banco (ACH)',
  receiptSoon: 'Su recibo se enviará a {email} en unos minutos.',
  receiptHeld: 'Su recibo se enviará a {email} el {time}: solo enviamos mensajes entre las 8 am y las 9 pm de su hora.',
  receiptSent: 'Su recibo se envió a {email} el {time}.', receiptNotSent: 'Su recibo no se envió por correo.',
  receiptSendNow: 'Enviar el recibo ahora', receiptResend: 'Enviar el recibo otra vez', receiptOnItsWay: 'El recibo va en camino a {email}.',
  scheduledOn: 'Su pago de {amount} se cobrará el {date}.', consentNeedsEmail: 'Escriba el correo para el recibo y los avisos.',
  retypeCvc: 'Escriba otra vez el código de seguridad (el número de tarjeta se conserva) o use otro método.', retypeExpiry: 'Escriba otra vez el vencimiento (el número de tarjeta se conserva) o use otro método.',
};

export type MessageKey = keyof typeof en;
const MESSAGES: Record<Lang, typeof en> = { en, es };

/** `t('payNow', { amount: '$5.00' })` in the element's language. */
export function translate(lang: Lang, key: MessageKey, values: Record<string, string | number> = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
}

export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(en, key);

/** Every message in one language (tests check a Spanish run shows none of the English ones). */
export const allMessages = (lang: Lang): Record<string, string> => ({ ...MESSAGES[lang] });
