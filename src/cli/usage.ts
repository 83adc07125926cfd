/** The help texts. */
import { DEFAULT_DEMO_STREAMS } from './args.js';
import { exitCodeLines } from './exit-codes.js';
import { providerDefinition, providerNames } from '../providers/registry.js';

export function mainHelp(version: string): string {
  return `llmux ${version} — many concurrent LLM streams through one engine

Usage:
  llmux chat [options] "question"   stream one answer (the question may also come on stdin)
  llmux chat [options]              a conversation, on a terminal
  llmux demo [--streams N] [--speed N]
                                    offline: replays bundled recordings as ${DEFAULT_DEMO_STREAMS} concurrent streams
  llmux batch IN.jsonl -o OUT.jsonl [--resume] [--stream] [--shard I/N] ...
                                    run a JSONL file of requests, resumable (llmux help batch)
  llmux help [chat|demo|batch]

${chatOptionsText()}

${demoOptionsText()}

Ctrl+C while an answer streams asks "Cancel response? [y/n]"; y cancels it (the partial
answer stays), n goes on; a second Ctrl+C, or Ctrl+C when nothing streams, quits.

Environment:
${environmentLines().join('\n')}
  NO_COLOR           no colours

Exit codes:
${exitCodeLines().join('\n')}

Try it with no key: llmux demo
`;
}

export function chatOptionsText(): string {
  return `Chat options:
  --provider NAME      provider: ${providerNames().join(', ')} (default openai)
  -m, --model NAME     model (default: the provider's, ${defaultModels()})
  --api chat|responses OpenAI API flavour (default: chosen by the model)
  -s, --system TEXT    system prompt
  --max-tokens N       most tokens in the answer
  -t, --temperature X  sampling temperature, 0 to 2
  --base-url URL       an OpenAI-compatible server, e.g. http://localhost:11434/v1
  --retries N          retries after a 429, 5xx or network error (default 2)
  --timeout SECONDS    give up on an attempt when the server is silent this long
                       (default 600 s for the first byte, 300 s between chunks);
                       it applies per attempt, and a timed-out attempt is retried
                       (--retries), so the longest wait is (retries + 1) x SECONDS
  --json               normalized events as JSON lines, then a {"type":"completion"} line
  --plain              no Markdown rendering (the default when stdout is not a terminal)
  --markdown           render Markdown even when stdout is not a terminal
  --record FILE        record the exchange to a cassette (secrets redacted); an
                       existing FILE is refused unless --force overwrites it
  --replay FILE        replay a cassette instead of calling the provider (no key needed)
  --speed N|instant    replay pace: 1 as recorded (default), 2 twice as fast
  --fault SPEC         replay with a fault, e.g. cut-after:3, reset-after:2, rechunk:bytes
                       (repeatable; see "Faults" in the README)
  -h, --help           this help
  -v, --version        the version`;
}

export function demoOptionsText(): string {
  return `Demo options:
  -n, --streams N      concurrent streams (default ${DEFAULT_DEMO_STREAMS})
  --speed N|instant    1 as recorded (default), 4 four times as fast
  --plain              one line per event instead of the live board`;
}

export function chatHelp(): string {
  return `Usage: llmux chat [options] ["question"]

Streams the answer to stdout as it arrives (Markdown rendered on a terminal) and prints the
token usage on stderr. With no question it reads one from stdin, or on a terminal opens a
conversation (/model NAME, /clear, /help, /exit).

${chatOptionsText()}

Exit codes:
${exitCodeLines().join('\n')}
`;
}

export function demoHelp(): string {
  return `Usage: llmux demo [options]

Replays the bundled recordings in vcr-fixtures/demo through the real engine as many
concurrent streams, at the recorded pace, and shows them live. No key, no network.

${demoOptionsText()}
`;
}

/** Each registered provider's key and base-URL variables, from the registry. */
function environmentLines(): string[] {
  const lines: string[] = [];
  for (const name of providerNames()) {
    const definition = providerDefinition(name);
    if (definition === undefined) continue;
    const [key, ...others] = definition.keyEnvVars;
    const also = others.length > 0 ? ` (or ${others.join(', ')})` : '';
    if (key !== undefined) lines.push(`  ${key.padEnd(18)} the ${definition.displayName} key${also} (not needed for --replay or demo)`);
    if (definition.baseUrlEnvVar !== undefined) {
      lines.push(`  ${definition.baseUrlEnvVar.padEnd(18)} another ${definition.displayName}-compatible server (--base-url wins)`);
    }
  }
  return lines;
}

/** `openai gpt-4o-mini, ...`. */
function defaultModels(): string {
  return providerNames()
    .map((name) => `${name} ${providerDefinition(name)?.defaultModel ?? '?'}`)
    .join(', ');
}
