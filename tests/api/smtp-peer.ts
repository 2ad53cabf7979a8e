/**
 * A real SMTP peer for tests: smtp-server listening on a loopback port, every message parsed with
 * mailparser. Pass `config: { smtpUrl: peer.url }` to startTestApi and read what arrived.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface SmtpPeer {
  url: string;
  messages: ParsedMail[];
  /** resolves once `count` messages have arrived (rejects after `timeoutMs`) */
  waitFor: (count: number, timeoutMs?: number) => Promise<ParsedMail[]>;
  close: () => Promise<void>;
}

export async function startSmtpPeer(): Promise<SmtpPeer> {
  const messages: ParsedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          waiters.splice(0).forEach((w) => w());
          callback();
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
