/** `llmux chat` on a terminal with no question: a conversation, one readline prompt per turn. */
import { createInterface } from 'node:readline';
import { providerDefinition } from '../providers/registry.js';
import type { Message } from '../providers/types.js';
import { chatRequest, exitCodeOf, streamTurn, type ChatSession } from './chat-turn.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export const INTERACTIVE_HELP = [
  'Type a message and press Enter; Ctrl+C while an answer streams offers to cancel it.',
  '  /model NAME   switch model (/model alone shows the current one)',
  '  /clear        forget the conversation so far',
  '  /help         this list',
  '  /exit         leave (so do Ctrl+D, and Ctrl+C at the prompt)',
].join('\n');

export type ReadResult = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'eof' } | { readonly kind: 'interrupt' };

/** One line from the terminal with editing and history (newest first). */
export function readLine(io: CliIo, prompt: string, history: readonly string[]): Promise<ReadResult> {
  const rl = createInterface({
    input: io.stdin,
    output: io.stdout,
    terminal: io.stdin.isTTY === true,
    history: [...history],
    historySize: 1000,
    removeHistoryDuplicates: true,
    prompt,
  });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: ReadResult): void => {
      if (settled) return;
      settled = true;
      rl.close();
      resolve(result);
    };
    rl.on('line', (text) => settle({ kind: 'line', text }));
    rl.on('SIGINT', () => {
      io.stdout.write('\n');
      settle({ kind: 'interrupt' });
    });
    rl.on('close', () => settle({ kind: 'eof' }));
    rl.prompt();
  });
}

export async function interactive(session: ChatSession): Promise<number> {
  const { io, options } = session;
  let model = options.model;
  let messages: Message[] = [];
  const history: string[] = [];
  const modelName = (): string => model ?? providerDefinition(options.provider)?.defaultModel ?? 'default';
  io.stderr.write(`llmux chat with ${options.provider} (${modelName()}). /help lists commands; Ctrl+D leaves.\n`);
  for (;;) {
    const read = await readLine(io, '> ', history);
    if (read.kind === 'eof') return EXIT.ok;
    if (read.kind === 'interrupt') return EXIT.cancelled;
    const text = read.text.trim();
    if (text === '') continue;
    if (history[0] !== text) history.unshift(text);
    if (text.startsWith('/')) {
      const [command = '', ...args] = text.split(/\s+/);
      const reply = runCommand(command, args.join(' '), {
        model: modelName(),
        setModel: (name) => (model = name),
        clear: () => (messages = []),
      });
      if (reply === undefined) return EXIT.ok;
      io.stderr.write(`${reply}\n`);
      continue;
    }
    const asked: Message[] = [...messages, { role: 'user', content: text }];
    const outcome = await streamTurn(session, chatRequest(options, asked, model), modelName());
    switch (outcome.kind) {
      case 'ok':
        messages = [...asked, { role: 'assistant', content: outcome.response.text }];
        break;
      case 'cancelled':
        // What was shown stays part of the conversation; the model can be asked to go on.
        if (outcome.partial !== '') messages = [...asked, { role: 'assistant', content: outcome.partial }];
        break;
      case 'failed':
        if (outcome.immediate && outcome.error.category === 'auth') return exitCodeOf(outcome);
        break;
      case 'interrupted':
        return EXIT.cancelled;
    }
  }
}

interface CommandContext {
  readonly model: string;
  setModel(name: string): void;
  clear(): void;
}

/** A slash command's reply, or undefined for /exit. */
export function runCommand(command: string, argument: string, context: CommandContext): string | undefined {
  switch (command) {
    case '/exit':
    case '/quit':
      return undefined;
    case '/help':
      return INTERACTIVE_HELP;
    case '/clear':
      context.clear();
      return '(conversation cleared)';
    case '/model':
      if (argument === '') return `model: ${context.model}`;
      context.setModel(argument);
      return `(model: ${argument})`;
    default:
      return `unknown command ${command}; /help lists the commands`;
  }
}
