import t from 'tap';
import { describeFinding, entropy, findSecrets, isKeyParam, isSecretHeader, redactHeaders, redactUrl, REDACTED } from '../../src/vcr/redact.js';

// Built at run time so this file itself holds nothing secret-shaped.
const openai = ['sk', 'proj', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'].join('-');
const legacy = ['sk', 'T3BlbkFJx7Qp2Lm9Zr4Vw8Ns1Kd6Hf3Jg'].join('-');
const anthropic = ['sk', 'ant', 'api03', 'Zx9Cv8Bn7Mq6Wr5Et4Yu3Io2Pa1Sd0Fg'].join('-');
const google = 'AIza' + 'SyB1c2D3e4F5g6H7i8J9k0LmNoPqRsTuVwX';
const token = 'eyJhbGciOi' + 'JIUzI1NiJ9.e30.Zm9vYmFy';

t.test('every secret header is redacted, whatever its case', async (t) => {
  const headers = {
    Authorization: `Bearer ${openai}`,
    'X-Api-Key': anthropic,
    'x-goog-api-key': google,
    'API-KEY': 'azure-key-123',
    'Proxy-Authorization': 'Basic abc',
    cookie: 'a=b',
    'set-cookie': ['a=1', 'b=2'],
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
  };
  t.same(redactHeaders(headers), {
    Authorization: REDACTED,
    'X-Api-Key': REDACTED,
    'x-goog-api-key': REDACTED,
    'API-KEY': REDACTED,
    'Proxy-Authorization': REDACTED,
    cookie: REDACTED,
    'set-cookie': [REDACTED, REDACTED],
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
  });
  t.ok(isSecretHeader('AUTHORIZATION'));
  t.notOk(isSecretHeader('x-request-id'));
});

t.test('key= query values are redacted in every position and spelling', async (t) => {
  t.equal(redactUrl(`https://g.test/v1/m:stream?key=${google}`), 'https://g.test/v1/m:stream?key=[REDACTED]');
  t.equal(redactUrl(`https://g.test/x?alt=sse&key=${google}&b=1`), 'https://g.test/x?alt=sse&key=[REDACTED]&b=1');
  t.equal(redactUrl('https://g.test/x?KEY=abc#frag'), 'https://g.test/x?KEY=[REDACTED]#frag');
  t.equal(redactUrl('https://g.test/x?api_key=a&api-key=b&apikey=c'), 'https://g.test/x?api_key=[REDACTED]&api-key=[REDACTED]&apikey=[REDACTED]');
  t.equal(redactUrl('https://g.test/x?monkey=1&keys=2'), 'https://g.test/x?monkey=1&keys=2', 'other parameters stay');
  t.equal(redactUrl('https://g.test/key=abc'), 'https://g.test/key=abc', 'only the query');
  t.ok(isKeyParam('key'));
  t.ok(isKeyParam('API_KEY'));
  t.notOk(isKeyParam('monkey'));
});

t.test('findSecrets finds every shape and says where, not what', async (t) => {
  const text = [
    `{"authorization":"Bearer ${token}"}`,
    `{"k":"${openai}","l":"${legacy}"}`,
    `x ${anthropic}`,
    `url?key=${google}&other=${'Qw3Er5Ty7Ui9Op1As3Df5Gh'}`,
    `https://h.test/?api_key=Zq8Wx7Ec6Rv5Tb4Yn3Um2`,
  ].join('\n');
  const findings = findSecrets(text);
  t.same(
    findings.map((f) => [f.kind, f.line]),
    [
      ['bearer-token', 1],
      ['openai-key', 2],
      ['openai-key', 2],
      ['anthropic-key', 3],
      ['google-key', 4],
      ['key-param', 5],
    ],
  );
  const first = findings[0];
  t.ok(first);
  if (first !== undefined) {
    t.equal(text.slice(first.offset, first.offset + first.length), token);
    t.equal(first.column, '{"authorization":"Bearer '.length + 1);
    t.equal(describeFinding(first), `line 1, column ${first.column}: a bearer token`);
    t.notMatch(describeFinding(first), token);
  }
  t.match(describeFinding(findings[1] ?? first!), /an OpenAI API key/);
  t.match(describeFinding(findings[3] ?? first!), /an Anthropic API key/);
  t.match(describeFinding(findings[4] ?? first!), /a Google API key/);
  t.match(describeFinding(findings[5] ?? first!), /a key= query value/);
});

t.test('placeholders, redactions, prose and ids are not secrets', async (t) => {
  const benign = [
    'Authorization: Bearer [REDACTED]',
    'url?key=[REDACTED]',
    'sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'Use Bearer authentication-for-everything here',
    'chatcmpl-AbC123dEf456GhI789jKl0',
    'task-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z',
    'monkey=Ab3dEf6hIj9kLm2nOp5qRs8tUv1',
    'key=short1',
  ].join('\n');
  t.same(findSecrets(benign), []);
  t.equal(entropy('aaaa'), 0);
  t.ok(entropy(openai) > 4);
});

t.test('key= is a secret only as a parameter or a word of its own', async (t) => {
  const value = 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1';
  const kinds = (text: string): string[] => findSecrets(text).map((finding) => finding.kind);
  for (const ordinary of [`cache_key=${value}`, `sort_key=${value}`, `{"text":"a primary_key=${value}"}`, `x.apikey=${value}`, `monkey=${value}`]) {
    t.same(kinds(ordinary), [], `${ordinary.split('=')[0]} is not a key`);
  }
  for (const secret of [`key=${value}`, `u?key=${value}`, `u?a=1&api_key=${value}`, `use key=${value}`, `\tapikey=${value}`, `'api-key=${value}'`, `"key=${value}"`, `{"text":"a\\nkey=${value}"}`]) {
    t.same(kinds(secret), ['key-param'], JSON.stringify(secret));
  }
});

t.test('a bearer token is found whatever the case of "Bearer"', async (t) => {
  for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
    t.same(findSecrets(`authorization: ${scheme} ${token}`).map((finding) => finding.kind), ['bearer-token'], scheme);
  }
  t.same(findSecrets('the bearer authentication-for-everything scheme'), [], 'prose stays prose');
});
