// The README's Gemini example against a replay: the next turn it builds from the response's
// blocks is exactly the request the round-trip cassette recorded, signature included.
import t from 'tap';
import { createGemini } from '../../../src/providers/factory.js';
import { createGeminiAdapter } from '../../../src/providers/gemini/adapter.js';
import type { Message } from '../../../src/providers/types.js';
import { ReplayDispatcher } from '../../../src/vcr/replay-dispatcher.js';
import { CASSETTE_API_KEY } from './cassette-cases.js';
import { readCassette } from './helpers.js';

t.test('the README example: stream, then send the blocks back', async (t) => {
  const dispatcher = new ReplayDispatcher(readCassette('gemini-tool-call'), { speed: 'instant' });
  const gemini = createGemini({ apiKey: CASSETTE_API_KEY, env: {}, engine: { dispatcher } });
  const request = {
    model: 'gemini-3-flash-preview',
    messages: [{ role: 'user' as const, content: 'What is the weather in Zürich?' }],
    tools: [
      {
        name: 'get_weather',
        description: 'Current weather for a city.',
        parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city'] },
      },
    ],
    toolChoice: 'auto' as const,
  };
  let next: Message[] = [];
  gemini.startStream(
    request,
    () => {},
    (result) => {
      if (result.isErr()) return void t.fail(result.error.message);
      next = [
        ...request.messages,
        { role: 'assistant', blocks: result.value.content },
        ...result.value.toolCalls.map((call): Message => ({ role: 'tool', toolCallId: call.id, content: '{"temperature":4,"sky":"fog"}' })),
      ];
    },
  );
  await gemini.run();
  await gemini.cleanup();
  await dispatcher.destroy();
  // That turn is exactly the request the round-trip cassette recorded.
  const recorded = readCassette('gemini-tool-roundtrip').exchanges[0]!.request.body;
  const sent = createGeminiAdapter({ apiKey: CASSETTE_API_KEY, env: {} }).prepare({ ...request, messages: next }, 'stream')._unsafeUnwrap();
  t.same(
    (JSON.parse(sent.http.body ?? '{}') as { contents: unknown }).contents,
    recorded?.kind === 'json' ? (recorded.value as { contents: unknown }).contents : undefined,
  );
});
