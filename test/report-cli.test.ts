import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, run, spawn } from './helpers/cli.js';

const SHOP = 'examples/shop';

describe('netreach report', () => {
  it('writes the page to -o (relative to the working directory) and says so on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netreach-report-'));
    const r = await run(['report', join(REPO, SHOP), '-o', 'out.html', '--title', 'Shop <review>'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^wrote out\.html \(\d+ KiB\)\n$/);
    const html = readFileSync(join(dir, 'out.html'), 'utf8');
    rmSync(dir, { recursive: true, force: true });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Shop &#60;review&#62;</title>');
  });

  it('writes to stdout without -o, as a real process', () => {
    const r = spawn(['report', SHOP, '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(r.stdout.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('fails with one line and exit 2 on bad input or an unwritable file, writing nothing', async () => {
    const missing = await run(['report', 'no/such/dir', '-o', '/tmp/never.html']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error: no/such/dir: no such file or directory\n');
    expect(existsSync('/tmp/never.html')).toBe(false);
    const unwritable = await run(['report', SHOP, '-o', '/nonexistent-dir/r.html']);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toBe('error: /nonexistent-dir/r.html: cannot write (ENOENT)\n');
    expect(unwritable.stdout).toBe('');
  });
});
