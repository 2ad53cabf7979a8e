/**
 * The account functions as data: who may use each one and from which states, the fields of its
 * dialog, and the request it sends. The element renders any of them the same way.
 * Business rules (how much may be paid, which moves are allowed) stay on the server; the states
 * here only keep menu items out of sight that the server would refuse anyway.
 */
import type { Account, User } from '../internal/api-client.js';
import { dollarsToCents, formatMoney, STATUS_LABELS } from '../internal/format.js';

export interface Field {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'select' | 'date' | 'money' | 'checkbox';
  options?: [string, string][];
  required?: boolean;
  hint?: string;
  value?: string;
  /** shown only when this returns true for the current values */
  showIf?: (values: Record<string, string>) => boolean;
}

export interface ActionRequest {
  path: string;
  body: unknown;
}

export interface AccountAction {
  id: string;
  label: string;
  title: string;
  submitLabel: string;
  permission: string;
  available: (account: Account, user: User) => boolean;
  fields: (account: Account, user: User) => Field[];
  /** builds the request, or returns field errors found while reading the form (an unreadable amount) */
  request: (account: Account, values: Record<string, string>) => ActionRequest | { errors: Record<string, string> };
  /** API field names → form field names, for errors reported by the server */
  errorFields?: Record<string, string>;
  done: (account: Account, result: Record<string, unknown>) => string;
}

const IN_COLLECTION = ['active', 'hold', 'disputed'];
const today = () => new Date().toISOString().slice(0, 10);
const opt = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);
const money = (account: Account, cents: number) => formatMoney(cents, account.balanceDetail.currency);

function cents(values: Record<string, string>, name: string): number | { errors: Record<string, string> } {
  const c = dollarsToCents(values[name] ?? '');
  return c === undefined || c <= 0 ? { errors: { [name]: 'Enter an amount in dollars and cents, like 125.00.' } } : c;
}

const reasonField: Field = { name: 'reason', label: 'Reason', kind: 'textarea', required: true };
const documentField: Field = { name: 'documentRef', label: 'Supporting document (optional)', kind: 'text', hint: 'An attachment id or a reference such as a case number.' };

export const ACCOUNT_ACTIONS: AccountAction[] = [
  {
    id: 'payment', label: 'Report a direct payment', title: 'Report a payment made to you', submitLabel: 'Report payment', permission: 'payments.report',
    available: (a) => a.balanceDetail.totalCents > 0,
    fields: (a) => [
      { name: 'amount', label: 'Amount', kind: 'money', required: true, hint: `Balance ${money(a, a.balanceDetail.totalCents)}` },
      { name: 'paidOn', label: 'Date paid', kind: 'date', required: true, value: today() },
      { name: 'method', label: 'Method', kind: 'select', required: true, options: [['check', 'Check'], ['cash', 'Cash'], ['card', 'Card'], ['ach', 'Bank transfer (ACH)'], ['wire', 'Wire'], ['other', 'Other']] },
      { name: 'reference', label: 'Reference (optional)', kind: 'text', hint: 'Check number, receipt number …' },
    ],
    request: (a, v) => {
      const c = cents(v, 'amount');
      if (typeof c !== 'number') return c;
      return { path: `/accounts/${a.id}/payments`, body: { amountCents: c, paidOn: v.paidOn, method: v.method, reference: opt(v.reference) } };
    },
    errorFields: { amountCents: 'amount' },
    done: (a, r) => `Payment of ${money(a, (r.amount as { amountCents: number }).amountCents)} reported. New balance ${money(a, (r.balanceAfter as { amountCents: number }).amountCents)}.`,
  },
  {
    id: 'adjustment', label: 'Post an adjustment', title: 'Post an adjustment', submitLabel: 'Post adjustment', permission: 'payments.report',
    available: () => true,
    fields: () => [
      { name: 'type', label: 'Kind', kind: 'select', required: true, options: [['credit', 'Credit'], ['write_off', 'Write-off'], ['correction', 'Balance correction']] },
      { name: 'component', label: 'Component', kind: 'select', options: [['principal', 'Principal'], ['interest', 'Interest'], ['fees', 'Fees'], ['costs', 'Costs']], showIf: (v) => v.type === 'correction' },
      { name: 'direction', label: 'Direction', kind: 'select', options: [['increase', 'Increase'], ['decrease', 'Decrease']], showIf: (v) => v.type === 'correction' },
      { name: 'amount', label: 'Amount', kind: 'money', hint: 'For a write-off, leave empty to write off the whole balance.' },
      reasonField,
      { name: 'confirm', label: 'I understand a write-off clears this balance without payment.', kind: 'checkbox', required: true, showIf: (v) => v.type === 'write_off' },
    ],
    request: (a, v) => {
      const path = `/accounts/${a.id}/adjustments`;
      if (v.type === 'write_off') {
        if (!v.amount?.trim()) return { path, body: { type: 'write_off', reason: v.reason } };
        const c = cents(v, 'amount');
        return typeof c === 'number' ? { path, body: { type: 'write_off', amountCents: c, reason: v.reason } } : c;
      }
      const c = cents(v, 'amount');
      if (typeof c !== 'number') return c;
      if (v.type === 'correction') return { path, body: { type: 'correction', component: v.component || 'principal', deltaCents: v.direction === 'decrease' ? -c : c, reason: v.reason } };
      return { path, body: { type: 'credit', amountCents: c, reason: v.reason } };
    },
    errorFields: { amountCents: 'amount', deltaCents: 'amount' },
    done: (a, r) => `Adjustment posted. New balance ${money(a, (r.balanceAfter as { amountCents: number }).amountCents)}.`,
  },
  {
    id: 'note', label: 'Add a note', title: 'Add a note', submitLabel: 'Add note', permission: 'notes.write',
    available: () => true,
    fields: (_a, u) => [
      { name: 'body', label: 'Note', kind: 'textarea', required: true, hint: u.kind === 'client' ? 'The agency is notified at once.' : undefined },
      ...(u.kind === 'agency'
        ? [{ name: 'visibility', label: 'Who can see it', kind: 'select', options: [['internal', 'Agency only (internal)'], ['client', 'Agency and client']] } as Field]
        : []),
    ],
    request: (a, v) => ({ path: `/accounts/${a.id}/notes`, body: { body: v.body, ...(v.visibility ? { visibility: v.visibility } : {}) } }),
    done: () => 'Note added.',
  },
  {
    id: 'message', label: 'Contact the agency', title: 'Send a message', submitLabel: 'Send message', permission: 'notes.write',
    available: () => true,
    fields: () => [
      { name: 'subject', label: 'Subject', kind: 'text', required: true },
      { name: 'body', label: 'Message', kind: 'textarea', required: true },
    ],
    request: (a, v) => ({ path: `/accounts/${a.id}/messages`, body: { subject: v.subject, body: v.body } }),
    done: () => 'Message sent.',
  },
  {
    id: 'hold', label: 'Put on hold', title: 'Put the account on hold', submitLabel: 'Put on hold', permission: 'accounts.status',
    available: (a) => a.status === 'active' || a.status === 'disputed',
    fields: () => [reasonField, { name: 'until', label: 'Hold until (optional)', kind: 'date', hint: 'Collection resumes automatically on this day.' }, documentField],
    request: (a, v) => ({ path: `/accounts/${a.id}/hold`, body: { reason: v.reason, until: opt(v.until), documentRef: opt(v.documentRef) } }),
    done: () => 'The account is on hold.',
  },
  {
    id: 'release', label: 'Release the hold', title: 'Release the hold', submitLabel: 'Release', permission: 'accounts.status',
    available: (a) => a.status === 'hold',
    fields: () => [{ name: 'reason', label: 'Reason (optional)', kind: 'textarea' }],
    request: (a, v) => ({ path: `/accounts/${a.id}/release`, body: { reason: opt(v.reason) } }),
    done: () => 'The hold is released.',
  },
  {
    id: 'recall', label: 'Recall the account', title: 'Recall the account', submitLabel: 'Recall', permission: 'accounts.status',
    available: (a) => IN_COLLECTION.includes(a.status),
    fields: () => [reasonField, documentField, { name: 'confirm', label: 'I understand a recall is permanent: the account leaves collection.', kind: 'checkbox', required: true }],
    request: (a, v) => ({ path: `/accounts/${a.id}/recall`, body: { reason: v.reason, documentRef: opt(v.documentRef) } }),
    done: () => 'The account is recalled.',
  },
  {
    id: 'status', label: 'Change status', title: 'Change the status', submitLabel: 'Change status', permission: 'accounts.status',
    available: (a) => IN_COLLECTION.includes(a.status),
    fields: (a) => [
      { name: 'status', label: 'New status', kind: 'select', required: true,
        options: (['paid', 'settled', 'bankrupt', 'deceased', 'business_closed', 'disputed'] as const).filter((s) => s !== a.status).map((s) => [s, STATUS_LABELS[s]!] as [string, string]) },
      reasonField, documentField,
    ],
    request: (a, v) => ({ path: `/accounts/${a.id}/status`, body: { status: v.status, reason: v.reason, documentRef: opt(v.documentRef) } }),
    done: (_a, r) => `Status changed to ${STATUS_LABELS[r.status as string] ?? r.status}.`,
  },
  {
    id: 'contact', label: 'Update contact details', title: 'Update contact details', submitLabel: 'Save', permission: 'accounts.update',
    available: () => true,
    fields: (a) => [
      { name: 'phone', label: 'New mobile phone (optional)', kind: 'text', hint: 'Replaces the responsible party\'s phones.' },
      { name: 'email', label: 'New email (optional)', kind: 'text' },
      { name: 'preferredChannel', label: 'Preferred channel', kind: 'select', options: [['', 'No preference'], ['phone', 'Phone'], ['sms', 'Text message'], ['email', 'Email'], ['mail', 'Mail']] },
      { name: 'specialInstructions', label: 'Special instructions', kind: 'textarea', value: a.specialInstructions ?? '' },
      { name: 'reason', label: 'Reason (optional)', kind: 'text' },
    ],
    request: (a, v) => ({
      path: `/accounts/${a.id}/contact`,
      body: {
        ...(opt(v.phone) ? { phones: [{ type: 'mobile', number: v.phone }] } : {}),
        ...(opt(v.email) ? { emails: [v.email!.trim()] } : {}),
        preferredChannel: v.preferredChannel || null,
        specialInstructions: v.specialInstructions?.trim() ? v.specialInstructions.trim() : null,
        reason: opt(v.reason),
      },
    }),
    errorFields: { number: 'phone', emails: 'email', '0': 'email' },
    done: () => 'Contact details saved.',
  },
];
