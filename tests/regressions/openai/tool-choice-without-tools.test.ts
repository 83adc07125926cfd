import t from 'tap';
import { createOpenAIAdapter } from '../../../src/providers/openai/adapter.js';
import type { ChatRequest } from '../../../src/providers/types.js';

/**
 * serialize-chat.ts drops `tools` when the array is empty (`tools.length > 0`), but still
 * writes `tool_choice` and `parallel_tool_calls`. OpenAI Chat Completions rejects both
 * without tools: HTTP 400 "Invalid value for 'tool_choice': 'tool_choice' is only allowed
 * when 'tools' are specified." (and the same for 'parallel_tool_calls'). A host that
 * builds its tool list per turn and sets toolChoice/parallelToolCalls unconditionally
 * (an agent turn with no tools enabled) gets a round-trip 400 for a request llmux itself
 * made invalid by dropping half of it. Either send all three or none (or refuse up front).
 */
const adapter = createOpenAIAdapter({ apiKey: 'sk-test-regression', env: {} });

function chatBody(request: ChatRequest): Record<string, unknown> | 'rejected' {
  const prepared = adapter.prepare({ ...request, api: 'chat' }, 'stream');
  if (prepared.isErr()) return 'rejected';
  return JSON.parse(prepared.value.http.body as string) as Record<string, unknown>;
}

const base: ChatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

t.test('tool_choice is not sent without tools (empty tools array)', async (t) => {
  const body = chatBody({ ...base, tools: [], toolChoice: 'auto' });
  if (body === 'rejected') return t.pass('refused up front');
  t.ok(!('tool_choice' in body) || 'tools' in body, `body: ${JSON.stringify(body)}`);
});

t.test('parallel_tool_calls is not sent without tools', async (t) => {
  const body = chatBody({ ...base, tools: [], parallelToolCalls: false });
  if (body === 'rejected') return t.pass('refused up front');
  t.ok(!('parallel_tool_calls' in body) || 'tools' in body, `body: ${JSON.stringify(body)}`);
});

t.test('tool_choice is not sent when tools is undefined', async (t) => {
  const body = chatBody({ ...base, toolChoice: 'auto' });
  if (body === 'rejected') return t.pass('refused up front');
  t.ok(!('tool_choice' in body) || 'tools' in body, `body: ${JSON.stringify(body)}`);
});
