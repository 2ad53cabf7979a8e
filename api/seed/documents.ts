/**
 * Demo data for the Collaboration Center: Cascade Power & Light's center gets a small folder tree,
 * three files (one with two versions) and a short comment thread, so the demo page is not empty.
 * The bytes go through the real file store, like any upload.
 */
import { Readable } from 'node:stream';
import type { Db } from '../platform/db.js';
import type { Config } from '../config.js';
import { newId } from '../platform/ids.js';
import { fileStoreFor } from '../platform/storage.js';
import { nameKey } from '../platform/uploads/names.js';

const at = (iso: string) => new Date(iso);

const GUIDELINES_V1 = `Northwind Recovery — placement guidelines for Cascade Power & Light
1. Place accounts 60 days after the final bill.
2. Include the service address and the last payment date.
`;
const GUIDELINES_V2 = `${GUIDELINES_V1}3. Commercial accounts: add the business name and the tax id of the account holder.
`;
const AGREEMENT = `Collection services agreement (2026) between Cascade Power & Light and Northwind Recovery LLC.
Contingency fee: 22% of amounts recovered. Remittance monthly by the 15th.
`;
const PLACEMENTS = `client_account_number,debtor,balance
CP-100231,"HARPER, JOHN",412.55
CP-100232,"LOPEZ, MARIA",1290.10
`;

export async function seedDocuments(db: Db, config: Config): Promise<void> {
  const client = (await db('clients').where({ code: 'CPL' }).first('id')) as { id: number } | undefined;
  if (!client) return;
  const users = (await db('users').whereIn('username', ['demo.client', 'demo.agency']).select('id', 'username')) as { id: number; username: string }[];
  const dana = users.find((u) => u.username === 'demo.client')!.id;
  const alex = users.find((u) => u.username === 'demo.agency')!.id;
  const store = fileStoreFor(config);
  const put = (text: string) => store.put(Readable.from([Buffer.from(text)]));

  const folder = async (name: string, parentId: number | null, createdAt: Date) => {
    const [id] = (await db('collab_folders').insert({
      publicId: newId('fld'), clientId: client.id, parentId, parentKey: parentId ?? 0, name, nameKey: nameKey(name), createdByUserId: alex, createdAt,
    })) as number[];
    return id!;
  };
  const contracts = await folder('Contracts', null, at('2026-09-01T15:00:00Z'));
  const y2026 = await folder('2026', contracts, at('2026-09-01T15:01:00Z'));
  const reports = await folder('Monthly reports', null, at('2026-09-01T15:02:00Z'));

  const file = async (name: string, folderId: number | null, versions: { text: string; by: number; when: Date; original: string; mime: string }[]) => {
    const [id] = (await db('collab_files').insert({
      publicId: newId('cfile'), clientId: client.id, folderId, name, nameKey: nameKey(name), currentVersion: versions.length,
      createdByUserId: versions[0]!.by, createdAt: versions[0]!.when, updatedAt: versions.at(-1)!.when,
    })) as number[];
    for (const [i, v] of versions.entries()) {
      const stored = await put(v.text);
      await db('collab_file_versions').insert({
        publicId: newId('fver'), fileId: id, version: i + 1, originalName: v.original, contentType: v.mime, sizeBytes: stored.size,
        sha256: stored.sha256, storageKey: stored.key, uploadedByUserId: v.by, createdAt: v.when,
      });
    }
    return id!;
  };
  const guidelines = await file('Placement guidelines.txt', null, [
    { text: GUIDELINES_V1, by: alex, when: at('2026-10-01T16:00:00Z'), original: 'guidelines.txt', mime: 'text/plain' },
    { text: GUIDELINES_V2, by: alex, when: at('2026-10-20T16:30:00Z'), original: 'guidelines-v2.txt', mime: 'text/plain' },
  ]);
  await file('Collection services agreement.txt', y2026, [{ text: AGREEMENT, by: dana, when: at('2026-09-02T17:00:00Z'), original: 'agreement.txt', mime: 'text/plain' }]);
  await file('October 2026 placements.csv', reports, [{ text: PLACEMENTS, by: dana, when: at('2026-10-31T18:00:00Z'), original: 'october.csv', mime: 'text/csv' }]);
  await db('collab_comments').insert([
    { publicId: newId('ccmt'), fileId: guidelines, authorUserId: dana, body: 'Does this cover the new commercial accounts?', createdAt: at('2026-10-15T14:00:00Z') },
    { publicId: newId('ccmt'), fileId: guidelines, authorUserId: alex, body: 'Yes — see point 3, added in version 2.', createdAt: at('2026-10-20T16:31:00Z') },
  ]);
}
