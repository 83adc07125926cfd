/** `main(argv, io)`: the whole CLI, testable in-process; main.ts only wires it to the process. */
import { parseCommandLine } from './args.js';
import { batchCommand } from './batch/command.js';
import { chatCommand } from './chat.js';
import { demoCommand } from './demo.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';
import { packageVersion } from './paths.js';
import { chatHelp, demoHelp, mainHelp } from './usage.js';

/** Runs one command line; resolves to the exit code. Never rejects. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    io.stderr.write(`llmux: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.unknown;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.isErr()) {
    io.stderr.write(`llmux: ${parsed.error}\nRun "llmux --help" for the options.\n`);
    return EXIT.usage;
  }
  const command = parsed.value;
  switch (command.kind) {
    case 'version':
      io.stdout.write(`llmux ${packageVersion()}\n`);
      return EXIT.ok;
    case 'help':
      io.stdout.write(command.topic === 'chat' ? chatHelp() : command.topic === 'demo' ? demoHelp() : mainHelp(packageVersion()));
      return EXIT.ok;
    case 'chat':
      return chatCommand(command.options, io);
    case 'demo':
      return demoCommand(command.options, io);
    case 'batch':
      return batchCommand(command.argv, io);
  }
}
