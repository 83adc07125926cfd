/**
 * `llmux demo`: the bundled cassettes replayed through the real engine as many concurrent
 * streams at the recorded pace, shown live. No key and no network: the engine's dispatcher
 * is a ReplayDispatcher on the real clock.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from 'neverthrow';
import type { ProviderError } from '../errors/category.js';
import type { ProviderDefinition } from '../providers/definition.js';
import { EngineProvider, type Provider, type ProviderOptions } from '../providers/provider.js';
import { providerDefinition } from '../providers/registry.js';
import { providerOfHost, replayable, requestOfRecording } from './demo-recordings.js';
import { NO_USAGE, type ChatRequest, type ChatResponse, type StreamEvent, type Usage } from '../providers/types.js';
import { parseCassette, type Exchange } from '../vcr/cassette.js';
import { ReplayDispatcher } from '../vcr/replay-dispatcher.js';
import { ansi, cursorUp } from './ansi.js';
import type { DemoOptions } from './args.js';
import { oneLine, renderBoard, type BoardTotals, type StreamRow, type StreamStatus } from './board.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { tokenCounts } from '../providers/log-lines.js';
import { addUsage, errorLine, formatBytes } from './format.js';
import { HostLoop } from './host-loop.js';
import { terminalInterrupts } from './interrupts.js';
import { colorFor, columnsOf, type CliIo } from './io.js';
import { demoCassetteDir } from './paths.js';

/** One bundled recording: the question it answers and the exchange to replay. */
export interface DemoItem {
  readonly name: string;
  /** The registered provider that speaks the recorded API, by the host it was recorded from. */
  readonly provider: string;
  readonly request: ChatRequest;
  readonly exchange: Exchange;
}

/** Ms between stream starts at speed 1, so the board fills up like real traffic. */
export const STAGGER_MS = 150;
/** Ms between board redraws. */
export const REDRAW_MS = 66;
const DEMO_KEY = 'llmux-demo-no-key-needed';

/** Reads every `*.jsonl` in `dir` (sorted): each must hold a 200 exchange of a chat request. */
export function loadDemoItems(dir: string): Result<DemoItem[], string> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.jsonl')).sort();
  } catch (error) {
    return err(`cannot read the demo cassettes in ${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (files.length === 0) return err(`no demo cassettes (*.jsonl) in ${dir}`);
  const items: DemoItem[] = [];
  for (const file of files) {
    const path = join(dir, file);
    const cassette = parseCassette(readFileSync(path, 'utf8'), path);
    if (cassette.isErr()) return err(cassette.error.message);
    const exchange = cassette.value.exchanges.find((candidate) => candidate.response?.status === 200);
    const request = exchange === undefined ? undefined : requestOfRecording(exchange);
    if (exchange === undefined || request === undefined) return err(`${path}: no 200 exchange of a chat request with a user message`);
    items.push({ name: file.replace(/\.jsonl$/, ''), provider: providerOfHost(new URL(exchange.request.url).hostname), request, exchange });
  }
  return ok(items);
}

class DemoStream {
  status: StreamStatus = 'queued';
  text = '';
  events = 0;
  bytes = 0;
  startedAt = 0;
  usage: Usage | null = null;
  model = '';
  error: ProviderError | undefined;
  readonly id: number;
  readonly item: DemoItem;
  /** How long the recording takes at this speed. */
  readonly expectedMs: number;

  constructor(id: number, item: DemoItem, expectedMs: number) {
    this.id = id;
    this.item = item;
    this.expectedMs = expectedMs;
  }

  get finished(): boolean {
    return this.status === 'done' || this.status === 'failed' || this.status === 'cancelled';
  }

  row(now: number): StreamRow {
    const progress = this.status === 'done' ? 1 : this.status === 'queued' ? 0 : Math.min(0.99, (now - this.startedAt) / Math.max(1, this.expectedMs));
    const note = this.error === undefined ? undefined : `${this.error.category}: ${this.error.message}`;
    return { id: this.id, name: this.item.name, status: this.status, progress, text: this.text, ...(note === undefined ? {} : { note }) };
  }
}

interface Display {
  event(stream: DemoStream, event: StreamEvent): void;
  /** Redraws if due; returns ms until the next redraw, -1 for none. */
  tick(force: boolean): number;
  close(): void;
}

/** One line per event, for pipes and files. */
class LineDisplay implements Display {
  readonly #write: (text: string) => void;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  event(stream: DemoStream, event: StreamEvent): void {
    const tag = `[${String(stream.id).padStart(2, '0')} ${stream.item.name}]`;
    switch (event.type) {
      case 'start':
        return this.#write(`${tag} start ${event.model}\n`);
      case 'text_delta':
        return this.#write(`${tag} text ${JSON.stringify(event.text)}\n`);
      case 'done':
        return this.#write(`${tag} done ${event.finishReason}${event.usage === null ? '' : ` (tokens: ${tokenCounts(event.usage)})`}\n`);
      case 'error':
        return this.#write(`${tag} error (${event.category}) ${oneLine(event.message)}\n`);
      default:
        return this.#write(`${tag} ${event.type}\n`);
    }
  }


  tick(): number {
    return -1;
  }

  close(): void {}
}

/** The live board, redrawn in place at most every REDRAW_MS. */
class BoardDisplay implements Display {
  readonly #io: CliIo;
  readonly #streams: readonly DemoStream[];
  readonly #totals: () => BoardTotals;
  readonly #color: boolean;
  #lines = 0;
  #lastDraw = Number.NEGATIVE_INFINITY;

  constructor(io: CliIo, streams: readonly DemoStream[], totals: () => BoardTotals) {
    this.#io = io;
    this.#streams = streams;
    this.#totals = totals;
    this.#color = colorFor(io.stdout, io.env);
    io.stdout.write(ansi.hideCursor);
  }

  event(): void {}


  tick(force: boolean): number {
    const now = this.#io.now();
    const due = this.#lastDraw + REDRAW_MS - now;
    if (!force && due > 0) return due;
    this.#draw(now);
    return REDRAW_MS;
  }

  #draw(now: number): void {
    this.#lastDraw = now;
    const rows = this.#streams.map((stream) => stream.row(now));
    const height = this.#io.stdout.rows ?? 24;
    const lines = renderBoard(rows, this.#totals(), columnsOf(this.#io.stdout), height, this.#color);
    let out = `\r${cursorUp(this.#lines)}`;
    for (const line of lines) out += `${ansi.clearLine}${line}\n`;
    this.#io.stdout.write(`${out}${ansi.clearDown}`);
    this.#lines = lines.length;
  }

  close(): void {
    this.#draw(this.#io.now());
    this.#io.stdout.write(ansi.showCursor);
  }
}

function speedFactor(speed: DemoOptions['speed']): number {
  return speed === 'instant' ? Number.POSITIVE_INFINITY : speed === 'recorded' ? 1 : speed;
}

export async function demoCommand(options: DemoOptions, io: CliIo, dir: string = demoCassetteDir()): Promise<number> {
  const loaded = loadDemoItems(dir);
  if (loaded.isErr()) {
    io.stderr.write(`llmux demo: ${loaded.error}\n`);
    return EXIT.unknown;
  }
  const items = loaded.value;
  const factor = speedFactor(options.speed);
  const streams = Array.from({ length: options.streams }, (_, i) => {
    const item = items[i % items.length] as DemoItem;
    return new DemoStream(i + 1, item, item.exchange.end.t / factor);
  });
  // Rebuilt once per cassette, then shared by every stream that replays it.
  const exchanges = items.map((item) => replayable(item, DEMO_KEY));
  const replay = new ReplayDispatcher({ exchanges: streams.map((_, i) => exchanges[i % items.length] as Exchange) }, { speed: options.speed, name: 'the demo cassettes' });
  const loop = new HostLoop();
  // One engine for every provider the recordings need, as a host mixing providers would run it.
  const provider = providerFor('openai', { engine: { dispatcher: replay, notify: loop.wake } });
  const others = new Map([...new Set(items.map((item) => item.provider))].filter((name) => name !== 'openai').map((name) => [name, providerFor(name, { multi: provider.multi })]));
  const providerOfItem = (item: DemoItem): Provider => others.get(item.provider) ?? provider;
  const startedAt = io.now();
  const totals = (): BoardTotals => ({
    streams: streams.length,
    running: streams.filter((stream) => stream.status === 'waiting' || stream.status === 'streaming').length,
    done: streams.filter((stream) => stream.status === 'done').length,
    failed: streams.filter((stream) => stream.status === 'failed').length,
    events: streams.reduce((sum, stream) => sum + stream.events, 0),
    bytes: streams.reduce((sum, stream) => sum + stream.bytes, 0),
    elapsedMs: io.now() - startedAt,
  });
  const board = io.stdout.isTTY === true && !options.plain;
  const display: Display = board ? new BoardDisplay(io, streams, totals) : new LineDisplay((text) => void io.stdout.write(text));
  if (!board) io.stdout.write(`llmux demo: ${streams.length} streams replaying ${items.length} recordings (${speedLabel(options.speed)}), no network\n`);

  let interrupted = false;
  const stop = terminalInterrupts(io).listen((input) => {
    if (input.type === 'interrupt' || (input.type === 'key' && input.key === 'q')) {
      interrupted = true;
      provider.cancelAll();
      loop.wake();
    }
  });
  let next = 0;
  const startDue = (): number => {
    // Start every stream whose turn has come; ms until the next one, -1 when all started.
    while (next < streams.length && !interrupted) {
      const due = startedAt + (next * STAGGER_MS) / factor - io.now();
      if (due > 0) return due;
      start(providerOfItem((streams[next] as DemoStream).item), streams[next] as DemoStream, display, io);
      next++;
    }
    return -1;
  };
  try {
    startDue();
    await loop.pump(provider, {
      done: () => (next >= streams.length || interrupted) && streams.slice(0, next).every((stream) => stream.finished),
      afterPump: () => void display.tick(false),
      nextTimer: () => {
        const nextStart = startDue();
        const redraw = display.tick(false);
        return nextStart < 0 ? redraw : redraw < 0 ? nextStart : Math.min(nextStart, redraw);
      },
      onTimer: () => void startDue(),
    });
  } finally {
    stop();
    display.close();
    await provider.cleanup();
    await replay.destroy();
  }
  const wallMs = io.now() - startedAt;
  writeSummary(io, streams, wallMs, options.speed);
  if (interrupted) {
    io.stderr.write('[interrupted]\n');
    return EXIT.cancelled;
  }
  const failed = streams.find((stream) => stream.error !== undefined);
  return failed?.error === undefined ? EXIT.ok : exitCodeFor(failed.error.category);
}

function providerFor(name: string, options: ProviderOptions): Provider {
  const definition = providerDefinition(name) ?? (providerDefinition('openai') as ProviderDefinition);
  return new EngineProvider(definition.createAdapter({ apiKey: DEMO_KEY, env: {} }), options);
}

function start(provider: Provider, stream: DemoStream, display: Display, io: CliIo): void {
  stream.status = 'waiting';
  stream.startedAt = io.now();
  const started = provider.startStream(
    stream.item.request,
    (event) => {
      stream.events++;
      if (event.type === 'start') stream.model = event.model;
      if (event.type === 'text_delta') {
        stream.status = 'streaming';
        stream.text += event.text;
        stream.bytes += Buffer.byteLength(event.text);
      }
      display.event(stream, event);
    },
    (result) => completed(stream, result),
  );
  if (started.isErr()) completed(stream, err(started.error));
}

function completed(stream: DemoStream, result: Result<ChatResponse, ProviderError>): void {
  if (result.isOk()) {
    stream.status = 'done';
    stream.usage = result.value.usage;
    stream.model = result.value.model;
  } else {
    stream.status = result.error.category === 'cancelled' ? 'cancelled' : 'failed';
    if (stream.status === 'failed') stream.error = result.error;
  }
}

function speedLabel(speed: DemoOptions['speed']): string {
  return speed === 'recorded' ? 'recorded pace' : speed === 'instant' ? 'instant' : `${speed}x recorded pace`;
}

function writeSummary(io: CliIo, streams: readonly DemoStream[], wallMs: number, speed: DemoOptions['speed']): void {
  const ok = streams.filter((stream) => stream.status === 'done');
  const failed = streams.filter((stream) => stream.status === 'failed');
  const events = streams.reduce((sum, stream) => sum + stream.events, 0);
  const bytes = streams.reduce((sum, stream) => sum + stream.bytes, 0);
  const usage = ok.reduce((sum, stream) => addUsage(sum, stream.usage), NO_USAGE);
  const models = [...new Set(ok.map((stream) => stream.model))].join(', ') || 'none';
  const lines = [
    '',
    `streams: ${streams.length} (${ok.length} ok, ${failed.length} failed${streams.length - ok.length - failed.length > 0 ? `, ${streams.length - ok.length - failed.length} cancelled` : ''})`,
    `events: ${events}`,
    `bytes: ${formatBytes(bytes)} of text (${bytes} B)`,
    `wall time: ${(wallMs / 1000).toFixed(2)} s at ${speedLabel(speed)}`,
    `tokens: ${tokenCounts(usage)} over ${ok.length} answers (model ${models})`,
  ];
  for (const stream of failed) lines.push(`#${String(stream.id).padStart(2, '0')} ${errorLine(stream.error as ProviderError)}`);
  io.stdout.write(`${lines.join('\n')}\n`);
}
