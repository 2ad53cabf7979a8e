/**
 * Files at rest are the owner's alone (issue 17: the database, stored files and uploaded spreadsheets
 * with plaintext SSNs were 0644 in 0755 folders). The CLI sets umask 077 before it creates anything,
 * so whatever a library writes (multer, SQLite's journals, Chromium's temp files) is owner-only, and
 * tightens a data folder made by an older version. The writers themselves also pass 0600/0700.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';

export function secureFilesAtRest(dataDir: string): void {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dataDir, 0o700);
    for (const sub of ['files', 'uploads']) if (existsSync(`${dataDir}/${sub}`)) chmodSync(`${dataDir}/${sub}`, 0o700);
  } catch (err) {
    console.warn(`[files] could not make ${dataDir} owner-only: ${err instanceof Error ? err.message : String(err)}`);
  }
}
