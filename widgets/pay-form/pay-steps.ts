/**
 * The pay flow's steps and their numbering. "Step n of m" follows the path this debtor really takes:
 * no "Find your account" after a payment link, the contact review and the offers only when they are
 * shown, no "Amount" once an offer is chosen (issue 18 item 8: Offers and Amount were both step 2).
 */
export type Step = 'find' | 'choose' | 'account' | 'contact' | 'offers' | 'amount' | 'method' | 'review' | 'done' | 'payments';

export interface PathFacts {
  /** the account was opened from a personalised link (nothing to find) */
  viaLink: boolean;
  contactReview: boolean;
  hasOffers: boolean;
  /** an offer was chosen: its amount and date are the offer's */
  offerChosen: boolean;
}

/** The steps of the path, in order. */
export function stepPath(f: PathFacts): Step[] {
  return [
    ...(f.viaLink ? [] : (['find'] as Step[])),
    'account',
    ...(f.contactReview ? (['contact'] as Step[]) : []),
    ...(f.hasOffers ? (['offers'] as Step[]) : []),
    ...(f.offerChosen ? [] : (['amount'] as Step[])),
    'method', 'review', 'done',
  ];
}

/** `{ n, total }` for the step shown, or null for a view outside the path (the statuses). */
export function stepNumber(step: Step, f: PathFacts): { n: number; total: number } | null {
  if (step === 'payments') return null;
  const path = stepPath(f);
  const at = path.indexOf(step === 'choose' ? 'find' : step);
  return at < 0 ? null : { n: at + 1, total: path.length };
}
