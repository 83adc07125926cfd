// The recorded Gemini streams (../shared/corpus/google, generateContent only): each completes
// under every chunking with the same events, CRLF or LF; Vertex's streamed arguments come out
// byte-identical and equal JSON.stringify of the object the file's fragments describe.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import t from 'tap';
import { chunkings, CORPUS, corpusFiles, corpusLines, corpusWire, eventLog, referenceArguments, runGemini } from './helpers.js';

type Fragment = Parameters<typeof referenceArguments>[0][number];

/** Each streamed call's position among all calls and its fragments, read straight from the file. */
function streamedCalls(path: string): { readonly at: number; readonly fragments: Fragment[] }[] {
  const calls: { at: number; fragments: Fragment[] }[] = [];
  let open: Fragment[] | undefined;
  let named = 0;
  for (const line of corpusLines(path)) {
    const chunk = JSON.parse(line) as { candidates?: { content?: { parts?: { functionCall?: { name?: string; partialArgs?: Fragment[]; willContinue?: boolean } }[] } }[] };
    for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
      const call = part.functionCall;
      if (call === undefined) continue;
      if (call.name !== undefined) {
        open = call.willContinue === true ? [] : undefined;
        if (open !== undefined) calls.push({ at: named, fragments: open });
        named++;
      } else if (open !== undefined) {
        open.push(...(call.partialArgs ?? []));
        if (call.willContinue !== true) open = undefined;
      }
    }
  }
  return calls;
}

t.test('the corpus', { skip: existsSync(CORPUS) ? false : 'the shared corpus is not beside this checkout' }, async (t) => {
  const files = corpusFiles();
  t.equal(files.length, 9);
  let streamed = 0;
  for (const path of files) {
    const name = basename(path);
    const reference = runGemini([corpusWire(path)]);
    t.ok(reference.result.isOk(), `${name}: completes`);
    const log = eventLog(reference.events);
    t.equal(log[0]?.split(' ')[0], 'start', `${name}: start first`);
    t.match(log.at(-1), /^done (stop|tool_use) \(STOP\)/, `${name}: done last`);
    for (const [how, chunks] of chunkings(corpusWire(path), name.length)) {
      t.same(eventLog(runGemini(chunks).events), log, `${name}: same events (${how})`);
    }
    t.same(eventLog(runGemini([corpusWire(path, '\n')]).events), log, `${name}: LF framing reads the same`);
    const calls = streamedCalls(path);
    if (calls.length === 0) continue;
    streamed++;
    const response = reference.result._unsafeUnwrap();
    t.same(
      calls.map((call) => response.toolCalls[call.at]?.arguments),
      calls.map((call) => JSON.stringify(referenceArguments(call.fragments))),
      `${name}: the arguments are JSON.stringify of what the fragments describe`,
    );
    for (const [how, chunks] of chunkings(corpusWire(path), 7)) {
      t.same(runGemini(chunks).result._unsafeUnwrap().toolCalls.map((call) => call.arguments), response.toolCalls.map((call) => call.arguments), `${name}: byte-identical arguments (${how})`);
    }
  }
  t.equal(streamed, 4, 'the four Vertex files with streamed arguments');
});
