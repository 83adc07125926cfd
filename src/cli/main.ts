#!/usr/bin/env node
// The `llmux` executable: a thin entry around main(argv, io), which holds all the logic.
import { nodeIo } from './io.js';
import { main } from './run.js';

// A reader that went away (`llmux demo | head`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const code = await main(process.argv.slice(2), nodeIo());
process.exitCode = code;
// Exit once stdout has drained, so a piped answer is never cut short.
process.stdout.write('', () => process.exit(code));
