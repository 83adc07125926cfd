import t from 'tap';
import { geminiFinishReason } from '../../../src/providers/gemini/finish-reason.js';
import { DEFAULT_GEMINI_MODEL, GEMINI_MODELS, thinkingControl, validateGeminiModel } from '../../../src/providers/gemini/models.js';
import { geminiUsage } from '../../../src/providers/gemini/usage.js';
import { generatedCallId, isGeneratedCallId } from '../../../src/providers/gemini/call-ids.js';

t.test('finish reasons', async (t) => {
  t.equal(geminiFinishReason('STOP', false), 'stop');
  t.equal(geminiFinishReason('STOP', true), 'tool_use');
  t.equal(geminiFinishReason('MAX_TOKENS', true), 'length');
  for (const raw of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']) t.equal(geminiFinishReason(raw, false), 'content_filter', raw);
  t.equal(geminiFinishReason('MALFORMED_FUNCTION_CALL', false), 'error');
  t.equal(geminiFinishReason('LANGUAGE', false), 'unknown');
  t.equal(geminiFinishReason(undefined, false), 'unknown');
});

t.test('usage: output adds thoughts back, absent fields stay null', async (t) => {
  t.same(geminiUsage({ promptTokenCount: 9, candidatesTokenCount: 23, thoughtsTokenCount: 185, totalTokenCount: 217 }), {
    input: 9,
    output: 208,
    thinking: 185,
    cached: null,
    cacheWrite: null,
    total: 217,
  });
  t.same(geminiUsage({ promptTokenCount: 100, cachedContentTokenCount: 80, candidatesTokenCount: 5, totalTokenCount: 105 }), {
    input: 100,
    output: 5,
    thinking: null,
    cached: 80,
    cacheWrite: null,
    total: 105,
  });
  t.match(geminiUsage({ thoughtsTokenCount: 5 }), { output: 5, thinking: 5 }, 'thoughts alone are output');
  t.match(geminiUsage({ candidatesTokenCount: 4 }), { output: 4, thinking: null });
  t.same(geminiUsage({ promptTokenCount: 3 }), { input: 3, output: null, thinking: null, cached: null, cacheWrite: null, total: null });
  t.equal(geminiUsage({ trafficType: 'ON_DEMAND' }), undefined, "Vertex's interim usage carries no counts");
});

t.test('models', async (t) => {
  t.ok(GEMINI_MODELS.some((model) => model.id === DEFAULT_GEMINI_MODEL));
  t.equal(thinkingControl('gemini-3-pro-preview'), 'level');
  t.equal(thinkingControl('gemini-2.5-pro'), 'budget');
  t.equal(thinkingControl('learnlm-2.0'), 'budget');
  t.equal(validateGeminiModel('models/gemini-2.5-flash').unwrapOr(''), 'gemini-2.5-flash');
  for (const bad of ['', 'models/', 'a/b', '../x', 'a b', 'x'.repeat(300), 7]) t.ok(validateGeminiModel(bad).isErr(), JSON.stringify(bad));
});

t.test('generated call ids', async (t) => {
  t.equal(generatedCallId('r1', 2), 'gemini_call_r1_2');
  t.equal(generatedCallId(undefined, 0), 'gemini_call_0');
  t.ok(isGeneratedCallId('gemini_call_0'));
  t.notOk(isGeneratedCallId('call_abc'));
});
