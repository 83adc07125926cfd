import { Buffer } from 'node:buffer';
import type { Rng } from './rng.js';

const TOKENS: readonly (string | readonly number[])[] = [
  'data:', 'data: ', 'data', 'event:', 'event: delta', 'id: 7', 'id', ': comment', ':', 'retry: 10', 'retry: x', 'unknown: 1',
  '\n', '\n', '\r', '\r', '\r\n', '\r\n', '\n\n', '\r\r', '\r\n\r\n',
  '{"a":1}', '[DONE]', ' ', 'ü€🌍', 'x', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '\uFEFF', '\u0000',
  [0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x9f],
];

/** Bytes that look like SSE often enough to reach every branch of the framing: fields, every line ending, caps, broken UTF-8. */
export function sseSoup(rng: Rng): Buffer {
  const parts: Buffer[] = [];
  if (rng.chance(0.05)) parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  const count = rng.range(1, 60);
  for (let i = 0; i < count; i++) {
    const token = rng.pick(TOKENS);
    const repeat = rng.chance(0.05) ? rng.range(2, 200) : 1;
    const bytes = typeof token === 'string' ? Buffer.from(token) : Buffer.from(token);
    for (let r = 0; r < repeat; r++) parts.push(bytes);
  }
  return Buffer.concat(parts);
}
