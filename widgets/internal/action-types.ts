/** Response types of the account actions and the inbox, taken from the API's schemas (types only). */
import type { z } from 'zod';
import type { Transaction, TransactionList } from '../../api/ledger/ledger.schema.js';
import type { Thread, ThreadList, Message } from '../../api/messages/messages.schema.js';
import type { InboxList, Task } from '../../api/inbox/inbox.schema.js';

export type LedgerEntry = z.output<typeof Transaction>;
export type LedgerPage = z.output<typeof TransactionList>;
export type MessageThread = z.output<typeof Thread>;
export type ThreadSummaries = z.output<typeof ThreadList>;
export type ThreadMessage = z.output<typeof Message>;
export type InboxPage = z.output<typeof InboxList>;
export type InboxTask = z.output<typeof Task>;
