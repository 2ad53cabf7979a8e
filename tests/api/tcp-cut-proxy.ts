/**
 * A TCP proxy in front of MariaDB that a test can cut and restore: the database "restarting" as the
 * API sees it (every open connection dropped, new ones reset), without stopping the shared server.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CutProxy {
  port: number;
  /** drop every connection and reset new ones until restore() */
  cut: () => void;
  restore: () => void;
  close: () => Promise<void>;
}

export async function startCutProxy(targetHost: string, targetPort: number): Promise<CutProxy> {
  const open = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) return void client.destroy();
    const upstream = createConnection(targetPort, targetHost);
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut: () => {
      down = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore: () => {
      down = false;
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}
