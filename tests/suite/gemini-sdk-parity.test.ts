// Issue 11's bar, checked against the real thing: for every corpus generateContent stream and
// every streamed Gemini cassette, under several chunkings, llmux assembles the same text,
// thoughts, function calls (name, parsed arguments), finish reason and usage as the official
// @google/genai SDK (2.32.0, the newest release that runs on Node 20; 3.x needs Node 22; a
// devDependency of the tests only) yields from the same bytes, fed through its `fetch` option.
import t, { type Test } from 'tap';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { GoogleGenAI, type GenerateContentResponse } from '@google/genai';
import type { ChatResponse } from '../../src/providers/types.js';
import { bodyBytes } from '../../src/vcr/cassette.js';
import { chunkings } from '../helpers/chunkings.js';
import { sdkFailure, sseFetch } from '../helpers/sdk-fetch.js';
import { cassetteNames, CORPUS, corpusFiles, corpusWire, readCassette, referenceArguments, runGemini } from '../providers/gemini/helpers.js';

interface Assembled {
  readonly text: string;
  readonly thoughts: string;
  readonly calls: readonly { readonly name: string; readonly args: unknown }[];
  readonly finish: string | undefined;
  readonly usage: readonly (number | null)[];
}

type Fragment = Parameters<typeof referenceArguments>[0][number];

/** What the SDK's chunks say, joined: candidate 0's parts, the last finish reason and usage. */
async function sdk(chunks: readonly Uint8Array[]): Promise<Assembled | string> {
  const ai = new GoogleGenAI({
    apiKey: 'sdk-parity-placeholder',
    httpOptions: {
      baseUrl: 'http://sdk.invalid',
      fetch: sseFetch(chunks),
    },
  });
  let text = '';
  let thoughts = '';
  const calls: { name: string; args: unknown; fragments?: Fragment[] }[] = [];
  let open: { name: string; args: unknown; fragments?: Fragment[] } | undefined;
  let finish: string | undefined;
  let usage: readonly (number | null)[] = [null, null, null, null, null];
  try {
    const stream = await ai.models.generateContentStream({ model: 'm', contents: 'x', config: { automaticFunctionCalling: { disable: true } } });
    for await (const chunk of stream as AsyncGenerator<GenerateContentResponse>) {
      const candidate = chunk.candidates?.[0];
      for (const part of candidate?.content?.parts ?? []) {
        if (typeof part.text === 'string') {
          if (part.thought === true) thoughts += part.text;
          else text += part.text;
        }
        const call = part.functionCall as (typeof part.functionCall & { partialArgs?: Fragment[]; willContinue?: boolean }) | undefined;
        if (call === undefined) continue;
        if (call.name !== undefined) {
          open = { name: call.name, args: call.args ?? {}, fragments: call.partialArgs === undefined && call.willContinue !== true ? undefined : [...(call.partialArgs ?? [])] };
          calls.push(open);
          if (call.willContinue !== true) open = undefined;
        } else if (open !== undefined) {
          open.fragments?.push(...(call.partialArgs ?? []));
          if (call.willContinue !== true) open = undefined;
        }
      }
      if (candidate?.finishReason !== undefined) finish = candidate.finishReason;
      const u = chunk.usageMetadata;
      if (u?.promptTokenCount !== undefined) {
        usage = [u.promptTokenCount, (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0), u.thoughtsTokenCount ?? null, u.cachedContentTokenCount ?? null, u.totalTokenCount ?? null];
      }
    }
  } catch (error) {
    return sdkFailure(error);
  }
  return {
    text,
    thoughts,
    // Streamed (Vertex) arguments: the SDK passes the fragments on; they are joined here by the test's own reader.
    calls: calls.map((call) => ({ name: call.name, args: call.fragments === undefined ? call.args : referenceArguments(call.fragments) })),
    finish,
    usage,
  };
}

function assembled(response: ChatResponse): Assembled {
  return {
    text: response.text,
    thoughts: response.content.flatMap((block) => (block.type === 'thinking' ? [block.text] : [])).join(''),
    calls: response.toolCalls.map((call) => ({ name: call.name, args: JSON.parse(call.arguments) as unknown })),
    finish: response.rawFinishReason,
    usage: [response.usage?.input ?? null, response.usage?.output ?? null, response.usage?.thinking ?? null, response.usage?.cached ?? null, response.usage?.total ?? null],
  };
}

/** Compares under three chunkings; returns how llmux ended (ok, or the error category). */
async function compare(t: Test, name: string, body: Buffer): Promise<string> {
  let outcome = 'ok';
  // The SDK reads the body once, whole: it is the reference, and what it does under other
  // chunkings says nothing about llmux, whose own reading is compared under every chunking.
  const theirs = await sdk([body]);
  for (const [how, chunks] of chunkings(body, name.length)) {
    const mine = runGemini(chunks).result;
    if (mine.isErr()) {
      outcome = mine.error.category;
      continue;
    }
    t.same(assembled(mine.value), theirs, `${name} (${how}): same as @google/genai`);
  }
  return outcome;
}

t.test('the public corpus', { skip: existsSync(CORPUS) ? false : 'the shared corpus is not beside this checkout' }, async (t) => {
  const files = corpusFiles();
  t.equal(files.length, 9, 'the nine generateContent streams');
  for (const path of files) {
    t.equal(await compare(t, basename(path), corpusWire(path)), 'ok', `${basename(path)} completes`);
    // The same stream framed with LF instead of CRLF reads the same.
    t.equal(await compare(t, `${basename(path)} (LF)`, corpusWire(path, '\n')), 'ok');
  }
});

t.test('the project cassettes', async (t) => {
  const refused: string[] = [];
  for (const name of cassetteNames()) {
    const exchange = readCassette(name).exchanges.at(-1);
    if (exchange?.response?.status !== 200 || !exchange.request.url.includes(':streamGenerateContent')) continue;
    const outcome = await compare(t, name, bodyBytes(exchange));
    if (outcome !== 'ok') {
      refused.push(`${name}: ${outcome}`);
      // Where llmux refuses, the SDK either throws too or yields a stream that is not whole.
      const theirs = await sdk([bodyBytes(exchange)]);
      if (typeof theirs !== 'string') t.ok(theirs.finish === undefined || name.includes('blocked'), `${name}: the SDK saw no finish either`);
    }
  }
  // By design: a prompt blocked with no candidates is a content_filter error, not an empty
  // success (the SDK yields the chunk); a body cut before any finishReason is a protocol
  // error (the SDK does not check); a raw error object mid-stream ends the stream with that
  // error (the SDK throws only when the object is its own network read, else fails on the
  // "incomplete JSON segment" it leaves behind).
  t.same(refused.sort(), ['gemini-cut: protocol', 'gemini-prompt-blocked: content_filter', 'gemini-raw-error: server']);
});

t.test('the SDK itself throws on a raw error object that arrives as its own read', async (t) => {
  const exchange = readCassette('gemini-raw-error').exchanges.at(-1);
  t.ok(exchange);
  const theirs = await sdk(exchange!.chunks.map((chunk) => chunk.bytes));
  t.match(theirs, /^the SDK failed: got status: UNAVAILABLE/);
  t.equal(runGemini(exchange!.chunks.map((chunk) => chunk.bytes)).result.isErr(), true);
});
