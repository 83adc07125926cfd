/**
 * Writes the demo's Gemini cassettes in vcr-fixtures/demo: `streamGenerateContent?alt=sse`
 * streams (CRLF-framed, cumulative usage, a signature on the last part), one exchange each,
 * paced like a live model: a pause, then a chunk of a few words every 30-80 ms (Gemini sends
 * larger pieces than OpenAI). Deterministic.
 *
 *   npx tsc -p tsconfig.json && node dist/tests/cli/tools/make-gemini-demo-cassettes.js --write
 *
 * Without --write it only reports files that differ.
 */
import { createGeminiAdapter } from '../../../src/providers/gemini/adapter.js';
import type { Exchange, RecordedChunk } from '../../../src/vcr/cassette.js';
import { mulberry32 } from '../../../src/vcr/faults.js';
import { demoRequest, writeDemoCassettes } from '../../helpers/demo-cassettes.js';

const SCRIPTS = [
  {
    name: 'gemini-end-of-stream',
    question: 'How does a Gemini stream end? Two sentences.',
    answer:
      'A Gemini `alt=sse` stream has **no end marker**: the last chunk simply carries a `finishReason` and the final token counts, and then the body ends.\n\n' +
      'So a client must treat the end of the body as the end of the answer, and a body that ends *without* a finish reason as a cut stream.',
  },
  {
    name: 'gemini-thought-signatures',
    question: 'What is a thought signature, briefly?',
    answer:
      'A **thought signature** is an opaque token Gemini attaches to a part of its answer.\n\n' +
      '- It encodes the model\'s reasoning state.\n' +
      '- You send it back, unchanged, with that part on the next turn.\n' +
      '- Gemini 3 refuses a tool-call turn that comes back without it.',
  },
];

/** A few words per chunk, as Gemini streams. */
function pieces(text: string, random: () => number): string[] {
  const words = text.match(/\S+\s*/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    const n = 2 + Math.floor(random() * 4);
    out.push(words.slice(i, i + n).join(''));
    i += n;
  }
  return out;
}

function exchangeFor(script: (typeof SCRIPTS)[number], seed: number): Exchange {
  const prepared = createGeminiAdapter({ apiKey: 'demo', env: {} }).prepare({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: script.question }] }, 'stream');
  if (prepared.isErr()) throw new Error(prepared.error.message);
  const random = mulberry32(seed + 100);
  const id = `rsp-LMXdemo-gemini-${seed}`;
  const prompt = 8 + script.question.split(' ').length;
  const parts = pieces(script.answer, random);
  let sent = 0;
  const events = parts.map((text, i) => {
    sent += Math.ceil(text.length / 4);
    const last = i === parts.length - 1;
    const usage = { promptTokenCount: prompt, candidatesTokenCount: sent, totalTokenCount: prompt + sent + 64, thoughtsTokenCount: 64 };
    const part = last ? { text, thoughtSignature: `TExNWC1kZW1vLXNpZy0${seed}` } : { text };
    const candidate = { content: { parts: [part], role: 'model' }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 };
    return `data: ${JSON.stringify({ candidates: [candidate], usageMetadata: usage, modelVersion: 'gemini-2.5-flash', responseId: id })}\r\n\r\n`;
  });
  const headersAt = 240 + Math.round(random() * 200);
  let t = headersAt + 300 + Math.round(random() * 400);
  const chunks: RecordedChunk[] = events.map((event) => {
    const chunk = { bytes: Buffer.from(event, 'utf8'), t };
    t += 30 + Math.round(random() * 50);
    return chunk;
  });
  const http = prepared.value.http;
  return {
    request: demoRequest(http, 'x-goog-api-key'),
    response: { status: 200, headers: { 'content-type': 'text/event-stream', 'server-timing': `gfet4t7; dur=${headersAt - 30}` }, t: headersAt },
    chunks,
    end: { kind: 'ok', t: t + 2 },
  };
}

writeDemoCassettes(SCRIPTS, exchangeFor);
