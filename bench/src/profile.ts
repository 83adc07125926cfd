// A small .cpuprofile analyzer: self time per function, and per area (llmux, undici, ...).
// Usage: node dist/profile.js <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileRow {
  readonly name: string;
  readonly where: string;
  readonly area: string;
  readonly selfMs: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Sampled time minus (idle): percentages are of this. */
  readonly busyMs: number;
  readonly top: readonly ProfileRow[];
  readonly areas: readonly { readonly area: string; readonly selfMs: number; readonly percent: number }[];
  /** llmux's own functions, hottest first. */
  readonly llmux: readonly ProfileRow[];
}

/** Turns a script URL into something short: src/http/multi.ts for llmux, the package for deps. */
function place(url: string): { where: string; area: string } {
  if (url === '') return { where: '(native)', area: 'native/VM' };
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const llmux = /\/dist\/(src\/.*)\.js$/.exec(path);
  if (llmux !== null && !path.includes('/bench/')) return { where: `${llmux[1]}.ts`, area: 'llmux' };
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (pkg !== null) return { where: `${pkg[1]}/${pkg[2]}`, area: pkg[1] as string };
  if (path.startsWith('node:')) return { where: path, area: 'node core' };
  if (path.includes('/bench/dist/')) return { where: path.replace(/.*\/bench\/dist\//, 'bench/'), area: 'bench harness' };
  return { where: path, area: 'other' };
}

export function analyze(file: string, topN = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map<string, { name: string; where: string; area: string; us: number }>();
  const byArea = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const { where: file, area } = frame.url === '' && name.startsWith('(') ? { where: '', area: name } : place(frame.url);
    const where = file === '' ? '' : `${file}:${frame.lineNumber + 1}`;
    const key = `${name}@${where}`;
    const entry = byFunction.get(key) ?? { name, where, area, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
    totalUs += us;
  }
  const busyUs = totalUs - (byArea.get('(idle)') ?? 0);
  const rows = [...byFunction.values()]
    .filter((e) => e.area !== '(idle)')
    .sort((a, b) => b.us - a.us)
    .map((e) => ({ name: e.name, where: e.where, area: e.area, selfMs: e.us / 1000, percent: (100 * e.us) / busyUs }));
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    top: rows.slice(0, topN),
    areas: [...byArea.entries()]
      .filter(([area]) => area !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .map(([area, us]) => ({ area, selfMs: us / 1000, percent: (100 * us) / busyUs })),
    llmux: rows.filter((r) => r.area === 'llmux').slice(0, topN),
  };
}

export function formatSummary(title: string, summary: ProfileSummary): string {
  const lines: string[] = [];
  const row = (r: ProfileRow) =>
    `| ${r.percent.toFixed(1).padStart(5)}% | ${r.selfMs.toFixed(1).padStart(8)} | \`${r.name}\` | ${r.where === '' ? r.area : `\`${r.where}\``} |`;
  lines.push(
    `### ${title}: top ${summary.top.length} self-time functions`,
    '',
    `${summary.busyMs.toFixed(0)} ms busy of ${summary.totalMs.toFixed(0)} ms sampled; percentages are of busy time (idle excluded). The profile covers the whole client process (imports, warm-up, verification included).`,
    '',
  );
  lines.push('| self % | self ms | function | where |', '|---:|---:|---|---|');
  for (const r of summary.top) lines.push(row(r));
  lines.push('', '| area | self ms | self % |', '|---|---:|---:|');
  for (const a of summary.areas.slice(0, 12)) lines.push(`| ${a.area} | ${a.selfMs.toFixed(1)} | ${a.percent.toFixed(1)}% |`);
  lines.push('', `llmux's own code, hottest functions:`, '', '| self % | self ms | function | where |', '|---:|---:|---|---|');
  for (const r of summary.llmux) lines.push(row(r));
  return lines.join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: node dist/profile.js <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatSummary(file, analyze(file, Number(process.argv[3] ?? 15)))}\n`);
}
