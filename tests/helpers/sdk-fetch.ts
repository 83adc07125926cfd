/**
 * The `fetch` an official SDK is given in the parity tests: it answers every call with a 200
 * event stream of exactly the recorded chunks, so the SDK parses the bytes llmux parsed.
 */

/** A body that hands over one chunk per read, in order, then ends. */
export function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

export function sseFetch(chunks: readonly Uint8Array[]): () => Promise<Response> {
  return async () => new Response(streamOf(chunks), { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

/** What a parity test records when the SDK threw: a string the test matches against known limits. */
export function sdkFailure(error: unknown): string {
  return `the SDK failed: ${error instanceof Error ? error.message : String(error)}`;
}
