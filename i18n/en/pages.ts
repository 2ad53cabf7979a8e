/**
 * The pages the portal serves a debtor itself: the card/bank frame (its labels and errors), the pay
 * page's chrome at GET /pay (`{agency}` is the agency's name) and the unsubscribe confirmation:
 * English. Server only (the frame and the pages are rendered by the API).
 */
export const pages = {
  frameTitle: 'Payment details',
  frame_number: 'Card number', frame_exp: 'Expiry (MM/YY)', frame_month: 'Expiry month', frame_year: 'Expiry year', frame_cvc: 'Security code', frame_zip: 'Billing ZIP',
  frame_routing: 'Routing number', frame_account: 'Account number', frame_type: 'Account type', frame_checking: 'Checking', frame_savings: 'Savings', frame_holder: 'Account holder name',
  frame_save: 'Save for future payments', frame_useCard: 'Use this card', frame_useBank: 'Use this bank account', frame_working: 'Checking…', frame_saved: 'Saved.',
  frame_secure: 'Your details go straight to the payment processor; this site never sees them.', frame_expired: 'Your session expired. Start again.',
  frame_network: 'The connection failed. Check it and try again.',
  frame_fixCvc: 'Type the security code of {card} again. The card number is kept.', frame_fixExpiry: 'Type the expiry date of {card} again. The card number is kept.', frame_otherCard: 'Use a different card',
  pageTitle: 'Pay your bill — {agency}',
  pageHeading: 'Pay your bill online',
  pageIntro: 'Use the link from our letter, email or text message, or find your account with your account number, date of birth and ZIP code.',
  /** the switch to this language, named in this language (the Spanish page shows "English") */
  pageSwitchTo: 'English',
  pageNotice: '{agency} is a debt collector. This is an attempt to collect a debt; any information obtained will be used for that purpose.',
  unsubscribedTitle: 'Unsubscribed', unsubscribedHeading: 'You are unsubscribed',
  unsubscribedBody: 'We will not send more emails to {recipient}. Documents we must send you will come on paper by mail.',
};

export type PageWords = typeof pages;
