/**
 * True when a write failed on a unique index or primary key (SQLite or MySQL/MariaDB): the loser of a
 * race gets a clean 409, or reads what the winner wrote. The message check covers errors whose code a
 * wrapper dropped.
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null | undefined;
  const code = e?.code;
  return (
    code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed|Duplicate entry/.test(e?.message ?? '')
  );
}
