import t from 'tap';
import { readOutput } from '../../../src/batch/output.js';

/**
 * readOutput measured each line's end offset as Buffer.byteLength(text.slice(0, next)): the
 * UTF-8 length of the whole prefix, line after line. The work was quadratic in the file's
 * size: a resume over a 20,000-record output (13 MB) spent ~27 s before sending anything,
 * 40,000 records ~270 s, and a million-record job's resume never got started. The byte
 * count is now carried forward line by line. The test counts the characters handed to
 * Buffer.byteLength (deterministic, no timing): it must stay linear in the text.
 */
t.test('reading an output measures each byte once (linear, not quadratic)', async (t) => {
  const lines: string[] = [];
  for (let i = 0; i < 2000; i++) {
    lines.push(`${JSON.stringify({ id: `id-${i}`, key: 'k', ok: true, provider: 'openai', model: 'm', usage: null, cost: null, attempts: 1, requestId: null, startedAt: null, ms: 1, lane: 'live', line: i + 1, note: 'é' })}\n`);
  }
  const text = `${lines.join('')}\n{"id":"torn","ok":tr`;
  const original = Buffer.byteLength;
  let measured = 0;
  Buffer.byteLength = ((value: Parameters<typeof Buffer.byteLength>[0], encoding?: BufferEncoding) => {
    if (typeof value === 'string') measured += value.length;
    return original(value, encoding);
  }) as typeof Buffer.byteLength;
  let result: ReturnType<typeof readOutput>;
  try {
    result = readOutput(text);
  } finally {
    Buffer.byteLength = original;
  }
  const contents = result._unsafeUnwrap();
  t.equal(contents.records.length, 2000);
  const whole = original(text, 'utf8');
  const torn = original('{"id":"torn","ok":tr', 'utf8');
  t.equal(contents.tornBytes, torn, 'the torn tail is measured in bytes');
  t.equal(contents.validBytes, whole - torn, 'the valid part is measured in bytes (multi-byte characters counted as bytes)');
  t.ok(measured <= 3 * text.length, `characters measured (${measured}) stay within a small multiple of the text (${text.length})`);
});
