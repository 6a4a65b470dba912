/**
 * Conformance against a peer: np-guard/netpol-analyzer's own connlist test corpus (Apache-2.0),
 * read from ../shared/corpus/netpol-analyzer at test time (never copied into the repository).
 *
 * 1. Every plain `list` txt case of cases.json (no focus, exposure, explain or multiple-networks
 *    options) runs through `netreach list --format connlist` and is compared with the expected file
 *    by the corpus's own rule: strip every \n and \r from both, then equality. The number of
 *    identical cases is a ratchet, and every differing case must be explained below.
 * 2. Every case of error_cases.json must give an error (exit 2) or a warning on stderr.
 *
 * docs/compat-netpol-analyzer.md lists the results case by case.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, run } from './helpers/cli.js';

const CORPUS = path.resolve(REPO, '../shared/corpus/netpol-analyzer');
const present = existsSync(path.join(CORPUS, 'cases.json'));
if (!present)
  console.warn(
    `netpol-analyzer corpus not found at ${CORPUS}: skipping the netpol-analyzer conformance tests ` +
      '(they need the shared corpus checked out next to the repository as ../shared)',
  );

/** A good-path case of cases.json (the fields this runner looks at). */
interface GoodCase {
  readonly kind: string;
  readonly dir: string;
  readonly format: string;
  readonly focusWorkloads: readonly string[];
  readonly focusWorkloadPeers: readonly string[];
  readonly focusDirection: string;
  readonly focusConn: string;
  readonly exposure: boolean;
  readonly explainOnly?: string;
  readonly multipleNetworks: boolean;
  readonly expected: string;
  readonly compared: boolean;
  readonly expectedInCorpus: boolean;
}

/** An error case of error_cases.json. */
interface ErrorCase {
  readonly name: string;
  readonly dir: string;
  readonly severity: string;
  readonly format?: string;
  readonly focusWorkloads?: readonly string[];
}

/** Minimum number of identical plain txt cases (ratchet: raise it, never lower it). */
const MIN_IDENTICAL = 104;

/**
 * Plain txt cases whose output differs from the peer's, with the reason. Empty: all 104 match.
 * A case listed here that matches again fails the test, so the list stays true.
 */
const EXPLAINED_DIFFERENCES: Readonly<Record<string, string>> = {};

/** Minimum number of error cases that give an error or a warning (ratchet). */
const MIN_ERROR_CASES_FLAGGED = 83;

/**
 * Error cases that give neither an error nor a warning, with the reason. They all exercise an
 * option `netreach list` does not have (so the run is a plain list of valid input).
 */
const UNFLAGGED_ERROR_CASES: Readonly<Record<string, string>> = Object.fromEntries(
  [
    'input_dir_with_focusworkload_that_does_not_exist_should_get_warning',
    'input_dir_with_focusworkload_ns_and_name_that_does_not_exist_should_get_warning',
    'input_dir_with_focusworkload_from_list_that_does_not_exist_should_get_warning',
    'input_dir_with_multiple_focusworkloads_that_do_not_exist_should_get_warnings',
    'input_dir_with_multiple_focusworkloads-peers_that_do_not_exist_should_get_warnings',
    'input_dir_with_multiple_focusworkloads-peers_that_some_exist_should_get_warning_and_connlist_not_empty',
  ].map((name) => [name, 'a --focusworkload that does not exist: netreach list has no focus options']),
);

const norm = (s: string): string => s.replace(/[\r\n]/g, '');

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(CORPUS, file), 'utf8')) as T;
}

/** The plain `list` txt cases: no focus, exposure, explain or multiple-networks options. */
function plainTxtCases(all: readonly GoodCase[]): GoodCase[] {
  return all.filter(
    (c) =>
      c.kind === 'connlist' &&
      c.format === 'txt' &&
      c.compared &&
      c.expectedInCorpus &&
      c.focusWorkloads.length === 0 &&
      c.focusWorkloadPeers.length === 0 &&
      c.focusDirection === '' &&
      c.focusConn === '' &&
      !c.exposure &&
      c.explainOnly === undefined,
  );
}

describe.skipIf(!present)('netpol-analyzer corpus: netreach list --format connlist', () => {
  it('prints the expected connlist for the plain txt cases', async () => {
    const plain = plainTxtCases(readJson<GoodCase[]>('cases.json'));
    // The cases with multipleNetworks need UDN/CUDN/NAD/VirtualMachine support: left out.
    const multi = plain.filter((c) => c.multipleNetworks);
    const cases = plain.filter((c) => !c.multipleNetworks);
    expect([plain.length, multi.length, cases.length]).toEqual([136, 32, 104]);

    const differing: string[] = [];
    let identical = 0;
    for (const c of cases) {
      const r = await run(['list', path.join(CORPUS, 'tests', c.dir), '--format', 'connlist', '-q'], CORPUS);
      const expected = readFileSync(path.join(CORPUS, c.expected), 'utf8');
      if (r.code === 0 && norm(r.stdout) === norm(expected)) identical++;
      else differing.push(c.dir);
    }
    console.log(`identical ${identical}/${cases.length}`);
    for (const d of differing) console.log(`  differs: ${d} (${EXPLAINED_DIFFERENCES[d] ?? 'UNEXPLAINED'})`);
    expect(identical).toBeGreaterThanOrEqual(MIN_IDENTICAL);
    expect(differing.filter((d) => EXPLAINED_DIFFERENCES[d] === undefined)).toEqual([]);
    expect(Object.keys(EXPLAINED_DIFFERENCES).filter((d) => !differing.includes(d))).toEqual([]);
  }, 300_000);

  it('gives an error or a warning for every error case', async () => {
    const cases = readJson<ErrorCase[]>('error_cases.json');
    expect(cases.length).toBe(89);
    const unflagged: string[] = [];
    let errors = 0;
    let warnings = 0;
    for (const c of cases) {
      const args = ['list', path.join(CORPUS, 'tests', c.dir)];
      if (c.format !== undefined) args.push('--format', c.format);
      const r = await run(args, CORPUS);
      if (r.code === 2) {
        errors++;
        expect(r.stderr).toMatch(/^error: /);
        expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      } else if (/^warning: /m.test(r.stderr)) warnings++;
      else unflagged.push(c.name);
    }
    const flagged = errors + warnings;
    console.log(`error cases: ${flagged}/${cases.length} flagged (${errors} errors, ${warnings} warnings only)`);
    for (const n of unflagged) console.log(`  not flagged: ${n} (${UNFLAGGED_ERROR_CASES[n] ?? 'UNEXPLAINED'})`);
    expect(flagged).toBeGreaterThanOrEqual(MIN_ERROR_CASES_FLAGGED);
    expect(unflagged.filter((n) => UNFLAGGED_ERROR_CASES[n] === undefined)).toEqual([]);
  }, 300_000);
});
