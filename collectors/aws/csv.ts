/**
 * A small RFC 4180 CSV reader for the IAM credential report: quoted fields, doubled quotes,
 * CRLF or LF line ends, with or without a trailing newline. Throws on an unterminated quote.
 * A quote opens a quoted section only at the start of a field (elsewhere it is text). Each run of
 * plain text is taken with one slice, not a character at a time: a report of thousands of users
 * is a few megabytes.
 */
const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  if (text.length === 0) return rows;
  let row: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    for (;;) {
      if (field === "" && text.charCodeAt(i) === QUOTE) {
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) throw new Error("unterminated quoted field at the end of the CSV");
          field += text.slice(from, close);
          if (text.charCodeAt(close + 1) !== QUOTE) {
            i = close + 1;
            break;
          }
          field += '"';
          from = close + 2;
        }
        continue;
      }
      let end = i;
      while (end < text.length) {
        const c = text.charCodeAt(end);
        if (c === COMMA || c === LF || c === CR) break;
        end++;
      }
      field += text.slice(i, end);
      i = end;
      break;
    }
    row.push(field);
    if (i >= text.length) {
      rows.push(row);
      return rows;
    }
    const delimiter = text.charCodeAt(i);
    if (delimiter === COMMA) {
      i++;
      continue;
    }
    rows.push(row);
    row = [];
    i += delimiter === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    if (i >= text.length) return rows;
  }
}
