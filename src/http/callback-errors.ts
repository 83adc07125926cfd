// The default reporter of exceptions thrown by user callbacks.

/**
 * One process warning per engine (the first throw, with its stack); the engine counts the
 * rest. A warning per throw would let a buggy callback under load flood the host's stderr,
 * or fill a pipe nobody drains and keep the process alive on a pending write.
 */
export function warnOnce(): (error: unknown) => void {
  let warned = false;
  return (error) => {
    if (warned) return;
    warned = true;
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.emitWarning(`llmux: a callback threw (later throws on this engine are counted in callbackErrors, not printed; pass onCallbackError to see each): ${text}`);
  };
}
