/**
 * model/flat.ts: long-lived keys built with template literals are kept as one flat string, not
 * as V8's tree of pieces. Checked in a child process (small heap) by counting the heap
 * snapshot's "concatenated string" nodes while 2,000 such keys are kept, with and without
 * `flat`, and after using them as Map keys (which does not flatten them).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/cli.js';

const SCRIPT = `
import v8 from 'node:v8';
import { flat } from ${JSON.stringify(join(REPO, 'packages/core/src/model/flat.ts'))};
const useFlat = process.argv.at(-1) === 'flat';
const m = new Map();
const kept = [];
for (let i = 0; i < 2000; i++) {
  let key = \`p|\${i % 2}|ns-\${i % 17}|team=t\${i % 5},env=dev|app=a\${i},tier=fe|http:TCP:\${8000 + i},\`;
  if (useFlat) key = flat(key);
  m.set(key, i);
  kept.push(key);
}
globalThis.gc();
globalThis.gc();
const chunks = [];
for await (const c of v8.getHeapSnapshot()) chunks.push(c);
const snap = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const fields = snap.snapshot.meta.node_fields;
const type = fields.indexOf('type');
const names = snap.snapshot.meta.node_types[0];
let cons = 0;
for (let i = 0; i < snap.nodes.length; i += fields.length) if (names[snap.nodes[i + type]] === 'concatenated string') cons++;
console.log(JSON.stringify({ cons, size: m.size, kept: kept.length }));
`;

function consStrings(mode: 'flat' | 'plain'): number {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', SCRIPT, mode], {
    cwd: REPO,
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as { cons: number; size: number; kept: number };
  expect(out.size).toBe(2000);
  return out.cons;
}

describe('flat', () => {
  it('leaves one flat string per kept key, where a template literal leaves a tree', () => {
    const plain = consStrings('plain');
    const flattened = consStrings('flat');
    // Each plain key is a tree of about ten pieces; flat ones leave none of their own.
    expect(plain - flattened).toBeGreaterThan(2000 * 5);
  }, 60_000);
});
