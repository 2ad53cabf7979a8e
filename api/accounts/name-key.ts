/**
 * The search form of a person's name: upper case, letters/digits/spaces only, single spaces.
 * "O'Brien-Smith, Mary J." → "OBRIEN SMITH MARY J". Stored beside the display name and used for
 * prefix search, so typing "obrien" or "o'brien, m" finds the same rows through one index.
 */
export function nameKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/['’`]/g, '')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/** LIKE special characters in user input are matched literally. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
