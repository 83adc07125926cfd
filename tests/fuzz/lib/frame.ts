import { Buffer } from 'node:buffer';
import { Literal, Raw, type Json, type LogicalEvent } from './target.js';

export type LineEnding = '\n' | '\r\n' | '\r';
export const LINE_ENDINGS: readonly LineEnding[] = ['\n', '\r\n', '\r'];

const MARK = '\u0000raw:';

/** JSON text of a generated value, `Raw` leaves spliced in verbatim. */
export function jsonText(value: Json): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Raw) {
      raws.push(item.text);
      return `${MARK}${raws.length - 1}`;
    }
    return item;
  });
  if (raws.length === 0) return text;
  // JSON.stringify writes the NUL of the mark as \u0000, which no other string in the value can contain unescaped.
  return text.replace(/"\\u0000raw:(\d+)"/g, (_match, index: string) => raws[Number(index)] as string);
}

/** The SSE bytes of `events`, each line ended by `eol`, each event by a blank line. */
export function frameEvents(events: readonly LogicalEvent[], eol: LineEnding): Buffer {
  let text = '';
  for (const event of events) {
    if (event.event !== undefined) text += `event: ${event.event}${eol}`;
    const data = event.data instanceof Literal ? event.data.text : jsonText(event.data);
    text += `data: ${data}${eol}${eol}`;
  }
  return Buffer.from(text, 'utf8');
}
