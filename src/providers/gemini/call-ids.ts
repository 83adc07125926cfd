/**
 * Gemini often sends function calls without an `id`. llmux then names them itself, from
 * the response id and the call's position, so the id is the same whatever the chunking; such
 * ids are never sent back to Gemini, which did not issue them.
 */
export const GENERATED_CALL_ID_PREFIX = 'gemini_call_';

export function generatedCallId(responseId: string | undefined, index: number): string {
  return `${GENERATED_CALL_ID_PREFIX}${responseId === undefined ? '' : `${responseId}_`}${index}`;
}

export function isGeneratedCallId(id: string): boolean {
  return id.startsWith(GENERATED_CALL_ID_PREFIX);
}
