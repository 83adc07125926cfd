import type { Buffer } from 'node:buffer';
import type { SseEvent } from '../../../src/sse/types.js';

/**
 * The SSE framing rules written plainly, with no streaming at all, as an oracle for the
 * decoder: the whole body decoded at once, split on every CRLF, CR and LF, fields applied
 * per the spec as eventsource-parser applies them (the id is the event's own, not carried
 * over), and the decoder's end rule: a last event whose final line is complete is kept,
 * one whose final line was cut is dropped.
 */
export function referenceEvents(bytes: Buffer): SseEvent[] {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r\n|\r|\n/);
  const rest = lines.pop() ?? '';
  const events: SseEvent[] = [];
  let data: string[] = [];
  let event: string | undefined;
  let id: string | undefined;
  const dispatch = (): void => {
    if (data.length > 0) events.push({ event, data: data.join('\n'), id });
    data = [];
    event = undefined;
    id = undefined;
  };
  for (const line of lines) {
    if (line === '') {
      dispatch();
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value === '' ? undefined : value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  }
  if (rest === '') dispatch();
  return events;
}
