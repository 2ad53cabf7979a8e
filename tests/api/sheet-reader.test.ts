/** The CSV parser of bulk placement: RFC 4180 cases, and the same records however the text is cut into chunks. */
import { describe, expect, it } from 'vitest';
import { CsvParser } from '../../api/placements/sheet-reader.js';

const parse = (parts: string[]) => {
  const p = new CsvParser();
  const out: string[][] = [];
  for (const part of parts) out.push(...p.push(part));
  out.push(...p.end());
  return out;
};

const CASES: [string, string, string[][]][] = [
  ['plain rows, LF', 'a,b\nc,d\n', [['a', 'b'], ['c', 'd']]],
  ['CRLF, a lone CR, no newline at the end', 'a,b\r\nc\rd,e', [['a', 'b'], ['c'], ['d', 'e']]],
  ['a UTF-8 BOM and trimmed cells', '\uFEFF Acct # , Name \n1, Jane \n', [['Acct #', 'Name'], ['1', 'Jane']]],
  ['quoted comma, doubled quotes, newline inside quotes', '"Doe, Jane","say ""hi""","two\nlines"\n', [['Doe, Jane', 'say "hi"', 'two\nlines']]],
  ['text after a closing quote is kept; a quote inside a field is literal', '"ab"cd,x"y\n', [['abcd', 'x"y']]],
  ['empty quoted field and empty fields', '"",,x\n', [['', '', 'x']]],
  ['blank lines are records of one empty cell', 'a\n\nb\n', [['a'], [''], ['b']]],
  ['a quote after spaces is literal', ' "a",b\n', [['"a"', 'b']]],
];

describe('CsvParser', () => {
  it.each(CASES)('%s', (_name, text, records) => {
    expect(parse([text])).toEqual(records);
  });

  it('gives the same records wherever the chunks are cut (quotes, CRLF and the BOM at the edges)', () => {
    for (const [, text, records] of CASES) {
      for (let i = 0; i <= text.length; i++) {
        for (let j = i; j <= text.length; j++) {
          expect(parse([text.slice(0, i), text.slice(i, j), text.slice(j)])).toEqual(records);
        }
      }
    }
  });
});
