/**
 * The documents a debtor signs or agrees to: the payment agreement (rendered on the server, hashed and
 * recorded with its language) and the E-SIGN disclosure: English. Server only.
 */
export const documents = {
  agreementTitle: 'Payment agreement', agreementPayee: 'Payee: {agency}, collecting for {creditor}, account {account}.', agreementPayer: 'Payer: {payer}.',
  agreementAch: 'bank account ({type}) ending in {last4}', agreementWallet: 'wallet ending in {last4}', agreementCard: '{brand} card ending in {last4}',
  achChecking: 'checking', achSavings: 'savings',
  agreementOnce: 'I authorise {agency} to charge {amount} to my {method} on {date}.',
  agreementMany: 'I authorise {agency} to charge my {method} {n} times, {total} in total, on these dates:',
  agreementCharge: '  {n}. {date}: {amount}',
  agreementSettles: 'When every payment above is made, the balance of {balance} is settled in full.',
  agreementNacha1: 'I authorise {agency} and its bank to initiate electronic debit entries (ACH) to the account above for the amounts and dates shown,',
  agreementNacha2: 'and, if an entry is made in error, to correct it. This authorisation stays in effect until the last payment is made or until I',
  agreementNacha3: 'notify {agency} that I revoke it, in time for it to act (at least 3 business days before a payment date).',
  agreementRetries: 'A declined payment may be tried again as the schedule describes. I may cancel the remaining payments at any time.',
  agreementSignature: 'Typing my name below is my electronic signature and has the same effect as a handwritten one.',
  esignTitle: 'Consent to electronic notices and receipts',
  esign1: 'You may receive notices, receipts and payment agreements about this account on paper by mail. You do not have to agree to electronic delivery, and saying no has no cost and does not affect your account.',
  esign2: 'If you agree, we will send these documents by email and, if you give a mobile number, by text message instead of on paper. Your consent covers notices about this account, payment receipts, payment agreements and plan schedules, and replies to disputes or requests you make online.',
  esign3: 'You may withdraw your consent at any time, free of charge: use the link in any email, reply STOP to any text, call us, or write to us. Withdrawal takes effect at once; documents after that come on paper. You may ask for a paper copy of any document at no charge.',
  esign4: 'To update your email address or mobile number, enter it again here or tell us by phone or mail.',
  esign5: 'To open the documents you need a device with a current web browser and an email program, and a way to view PDF files (most browsers do). By agreeing you confirm you can open this page, which shows you can read the documents we send.',
};

export type DocumentWords = typeof documents;
