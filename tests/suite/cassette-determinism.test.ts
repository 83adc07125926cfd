// Contract 10: the same cassette replays to the same event log, byte for byte, whatever
// the chunk boundaries. Every cassette under vcr-fixtures/ goes through the real engine
// (ReplayDispatcher -> HttpMulti -> SSE decoder -> OpenAI parser) under several chunkings.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import type { TransferSink } from '../../src/http/types.js';
import type { PreparedRequest } from '../../src/providers/adapter.js';
import type { ProviderAdapter } from '../../src/providers/adapter.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { providerDefinition } from '../../src/providers/registry.js';
import { RequestSession } from '../../src/providers/request-session.js';
import { StreamSession } from '../../src/providers/stream-session.js';
import { parseCassette, type Cassette, type Exchange } from '../../src/vcr/cassette.js';
import { rechunkEveryByte, rechunkRandom, rechunkSingle } from '../../src/vcr/faults.js';
import { ReplayDispatcher } from '../../src/vcr/replay-dispatcher.js';

const FIXTURES = fileURLToPath(new URL('../../../vcr-fixtures/', import.meta.url));

const CHUNKINGS: Record<string, (exchange: Exchange) => Exchange> = {
  recorded: (exchange) => exchange,
  'every byte': rechunkEveryByte,
  'one chunk': rechunkSingle,
  'random seed 1': (exchange) => rechunkRandom(exchange, 1),
  'random seed 2': (exchange) => rechunkRandom(exchange, 2, 7),
  'random seed 3': (exchange) => rechunkRandom(exchange, 3, 64),
};

function cassetteFiles(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) =>
      readdirSync(join(FIXTURES, dir.name))
        .filter((name) => name.endsWith('.jsonl'))
        .map((name) => join(dir.name, name)),
    );
}

/** The distinct requests of a cassette, in order; repeats of one request are its retries. */
function distinctRequests(cassette: Cassette): { prepared: PreparedRequest; retries: number }[] {
  const seen = new Map<string, { prepared: PreparedRequest; retries: number }>();
  const prepared: { prepared: PreparedRequest; retries: number }[] = [];
  for (const exchange of cassette.exchanges) {
    // The request as it was sent: a parsed cassette holds its body as { kind, value/text/bytes }.
    const recorded = exchange.request.body;
    const text = recorded === undefined ? '' : recorded.kind === 'json' ? JSON.stringify(recorded.value) : recorded.kind === 'text' ? recorded.text : recorded.bytes.toString('utf8');
    const key = `${exchange.request.url} ${text}`;
    const known = seen.get(key);
    if (known !== undefined) {
      known.retries++;
      continue;
    }
    const json = recorded?.kind === 'json' && typeof recorded.value === 'object' && recorded.value !== null && !Array.isArray(recorded.value) ? (recorded.value as Record<string, unknown>) : {};
    const entry: { prepared: PreparedRequest; retries: number } = {
      prepared: {
        http: { method: 'POST', url: exchange.request.url, headers: { 'content-type': 'application/json' }, body: text },
        model: typeof json.model === 'string' ? json.model : 'unknown',
        api: exchange.request.url.endsWith('/responses') ? 'responses' : 'chat',
      },
      retries: 0,
    };
    seen.set(key, entry);
    prepared.push(entry);
  }
  return prepared;
}

/** A folder named after a registered provider replays through it; others (demo/) are OpenAI's. */
function adapterFor(file: string): ProviderAdapter {
  const definition = providerDefinition(file.split('/')[0] ?? '');
  return definition === undefined ? createOpenAIAdapter({ apiKey: 'sk-test' }) : definition.createAdapter({ apiKey: 'sk-test' });
}

async function replay(cassette: Cassette, chunking: (exchange: Exchange) => Exchange, adapter: ProviderAdapter): Promise<string[]> {
  const clock = new VirtualClock();
  const dispatcher = new ReplayDispatcher(cassette, { clock, speed: 'instant', faults: (exchange) => chunking(exchange) });
  const multi = new HttpMulti({ dispatcher, clock, random: () => 0 });
  const log: string[] = [];
  for (const { prepared, retries } of distinctRequests(cassette)) {
    // Gemini says "stream" in the URL (`:streamGenerateContent`), OpenAI and Anthropic in the body.
    const stream = prepared.http.body?.includes('"stream":true') === true || prepared.http.url.includes(':streamGenerateContent');
    const onComplete = (result: Parameters<ConstructorParameters<typeof RequestSession>[2]>[0]): void => {
      log.push(JSON.stringify(result.isOk() ? { ok: result.value } : { error: result.error }));
    };
    const sink: TransferSink = stream
      ? new StreamSession(adapter, prepared, (event) => log.push(JSON.stringify(event)), onComplete)
      : new RequestSession(adapter, prepared, onComplete);
    // As many attempts as the cassette recorded: a retry beyond them would find no exchange.
    multi.add(prepared.http, sink, { maxRetries: retries });
    for (let turn = 0; multi.running > 0 || multi.pendingCompletions > 0; turn++) {
      if (turn > 1_000_000) throw new Error('replay did not finish');
      multi.perform();
      multi.infoRead();
      if (multi.running === 0) break;
      // Virtual time moves only once the engine had no work for a while in real turns: a
      // replayed error body still on its way must not be overtaken by the idle timeout.
      const woke = await Promise.race([multi.wait(-1).then(() => true), quietTurns(20)]);
      const next = clock.nextDeadline();
      if (!woke && next !== undefined) clock.advance(Math.max(0, next - clock.now()));
    }
  }
  await multi.close();
  return log;
}

async function quietTurns(n: number): Promise<false> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
  return false;
}

const files = cassetteFiles();
t.ok(files.length >= 20, `found ${files.length} cassettes`);

for (const file of files) {
  t.test(file, async (t) => {
    const parsed = parseCassette(readFileSync(join(FIXTURES, file), 'utf8'), file);
    if (parsed.isErr()) return void t.fail(parsed.error.message);
    const adapter = adapterFor(file);
    const reference = await replay(parsed.value, CHUNKINGS.recorded as (exchange: Exchange) => Exchange, adapter);
    t.ok(reference.length > 0, 'the replay produced a log');
    t.ok(reference.at(-1)?.startsWith('{"ok"') || reference.at(-1)?.startsWith('{"error"'), 'and ended in a completion');
    t.notMatch(reference.at(-1), /LLMUX_VCR_NO_MATCH/, 'every request found its recorded exchange');
    const again = await replay(parsed.value, CHUNKINGS.recorded as (exchange: Exchange) => Exchange, adapter);
    t.same(again, reference, 'replaying twice gives the same log');
    for (const [name, chunking] of Object.entries(CHUNKINGS)) {
      if (name === 'recorded') continue;
      const log = await replay(parsed.value, chunking, adapter);
      t.same(log, reference, `identical under ${name} chunking`);
    }
  });
}
