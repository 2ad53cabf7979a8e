/**
 * A real SMTP peer for tests: smtp-server listening on a loopback port, every message parsed with
 * mailparser. Pass `config: { smtpUrl: peer.url }` to startTestApi and read what arrived.
 * `delayMs` makes it a slow relay: it answers a message's DATA only that long after receiving it (the
 * sender waits meanwhile); a message counts as arrived when it is answered.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface SmtpPeer {
  url: string;
  messages: ParsedMail[];
  /** resolves once `count` messages have arrived (rejects after `timeoutMs`) */
  waitFor: (count: number, timeoutMs?: number) => Promise<ParsedMail[]>;
  /** messages whose DATA was received and not answered yet (a slow relay's) */
  readonly answering: number;
  close: () => Promise<void>;
}

export async function startSmtpPeer(options: { delayMs?: number } = {}): Promise<SmtpPeer> {
  const messages: ParsedMail[] = [];
  const waiters: (() => void)[] = [];
  const delayed = new Map<ReturnType<typeof setTimeout>, () => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const accept = () => {
            messages.push(mail);
            waiters.splice(0).forEach((w) => w());
            callback();
          };
          if (!options.delayMs) return accept();
          const timer = setTimeout(() => {
            delayed.delete(timer);
            accept();
          }, options.delayMs);
          // closing the peer refuses what it still holds, rather than waiting for it
          delayed.set(timer, () => callback(new Error('closing')));
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const waitFor = (count: number, timeoutMs = 10_000) =>
    new Promise<ParsedMail[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected ${count} messages at the SMTP peer, got ${messages.length}`)), timeoutMs);
      const check = () => {
        if (messages.length >= count) {
          clearTimeout(timer);
          resolve(messages);
        } else waiters.push(check);
      };
      check();
    });
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor,
    get answering() {
      return delayed.size;
    },
    close: () => {
      for (const [timer, refuse] of delayed) {
        clearTimeout(timer);
        refuse();
      }
      delayed.clear();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
