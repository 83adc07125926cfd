import t from 'tap';
import type { ErrorCategory } from '../../src/errors/category.js';
import { EXIT, EXIT_CODE_TABLE, exitCodeFor, exitCodeLines } from '../../src/cli/exit-codes.js';
import { chatHelp, mainHelp } from '../../src/cli/usage.js';

t.test('every category has its code', async (t) => {
  const expected: Record<ErrorCategory, number> = {
    auth: 3,
    rate_limit: 4,
    invalid_arg: 5,
    not_found: 5,
    network: 6,
    timeout: 7,
    server: 8,
    content_filter: 9,
    protocol: 10,
    cancelled: 130,
    unknown: 1,
  };
  for (const [category, code] of Object.entries(expected)) t.equal(exitCodeFor(category as ErrorCategory), code, category);
  t.equal(EXIT.ok, 0);
  t.equal(EXIT.usage, 2);
});

t.test('the table lists each code once, in order, and help prints it', async (t) => {
  const codes = EXIT_CODE_TABLE.map((row) => row.code);
  t.same(codes, [...new Set(codes)].sort((a, b) => a - b));
  t.same(new Set(codes), new Set(Object.values(EXIT)));
  const lines = exitCodeLines();
  t.equal(lines.length, EXIT_CODE_TABLE.length);
  t.match(lines[4] ?? '', /^\s+4\s+rate_limit\s+rate limited/);
  for (const line of lines) {
    t.ok(mainHelp('9.9.9').includes(line), `main help has: ${line.trim()}`);
    t.ok(chatHelp().includes(line), `chat help has: ${line.trim()}`);
  }
  t.match(mainHelp('9.9.9'), /llmux 9\.9\.9/);
});
