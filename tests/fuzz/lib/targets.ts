import { openAIChat } from './openai-chat.js';
import { openAIResponses } from './openai-responses.js';
import type { FuzzTarget } from './target.js';

/** Every provider API the fuzz covers. A new provider adds its FuzzTarget here. */
export const TARGETS: readonly FuzzTarget[] = [openAIChat, openAIResponses];

export function targetNamed(name: string): FuzzTarget {
  const target = TARGETS.find((candidate) => candidate.name === name);
  if (target === undefined) throw new Error(`no fuzz target "${name}"; known: ${TARGETS.map((t) => t.name).join(', ')}`);
  return target;
}
