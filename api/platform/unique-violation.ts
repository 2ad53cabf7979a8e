/** True when a write failed on a unique index (SQLite or MySQL/MariaDB): the loser of a race gets a clean 409. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'ER_DUP_ENTRY';
}
