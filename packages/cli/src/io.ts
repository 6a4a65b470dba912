/** Reading manifests from files, directories and stdin. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ManifestSource } from '@netreach/core';
import { CliError } from './errors.js';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

function walk(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && EXTENSIONS.some((x) => e.name.toLowerCase().endsWith(x))) out.push(p);
  }
}

/** Read stdin fully (synchronously; fine for a CLI). */
export function readStdin(): string {
  return readFileSync(0, 'utf8');
}

/**
 * Read every manifest under the given paths: files as given, directories recursively
 * (`.yaml`, `.yml`, `.json`), `-` for stdin.
 */
export function readManifestSources(paths: readonly string[], cwd: string = process.cwd()): ManifestSource[] {
  if (paths.length === 0) throw new CliError('no manifest paths given');
  const out: ManifestSource[] = [];
  let stdinUsed = false;
  for (const p of paths) {
    if (p === '-') {
      if (stdinUsed) throw new CliError('stdin (-) can only be given once');
      stdinUsed = true;
      out.push({ name: '<stdin>', text: readStdin() });
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new CliError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const files: string[] = [];
      walk(p, files);
      if (files.length === 0) throw new CliError(`${p}: no .yaml, .yml or .json files found`);
      for (const f of files) out.push({ name: displayName(f, cwd), text: readText(f) });
    } else out.push({ name: displayName(p, cwd), text: readText(p) });
  }
  return out;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function displayName(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') || rel === '' ? file : rel;
}
