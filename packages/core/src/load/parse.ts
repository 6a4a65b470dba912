import { Composer, CST, Lexer, LineCounter, Parser, visit } from 'yaml';
import type { Document } from 'yaml';
import type { Issue } from '../errors.js';
import type { SourceRef } from '../model/types.js';
import { parseYamlFast } from './fast-yaml.js';

/** One Kubernetes object read from a manifest file. */
export interface RawObject {
  /**
   * The object as plain data (plain objects, arrays, strings, numbers, booleans, null), never
   * nested deeper than {@link MAX_DEPTH}. A key `__proto__` is an ordinary own property: copy
   * objects with spread or `structuredClone`, never with `Object.assign` into a fresh object.
   */
  readonly obj: Record<string, unknown>;
  /** The file and document the object came from (for list items: the list's document). */
  readonly source: SourceRef;
  /**
   * Field path of the object within its document when it is an item of a `List` or typed list
   * such as `PodList` (e.g. `items[3]`, or `items[1].items[0]` for nested lists). Issues about the
   * object prefix their `path` with it. Absent for top-level objects.
   */
  readonly pathPrefix?: string;
}

/** The objects of one manifest file and the problems found reading it. */
export interface ParseResult {
  readonly objects: RawObject[];
  readonly issues: Issue[];
}

/** Deepest nesting of mappings and lists accepted in a document. */
export const MAX_DEPTH = 100;

/** Alias budget handed to the yaml library (bounds "billion laughs" expansion). */
const MAX_ALIAS_COUNT = 100;

/** Values a document may expand to beyond the size of the text (aliases share values). */
const EXTRA_VALUE_BUDGET = 100_000;

/** Syntax errors reported per document; further ones are counted in the last message. */
const MAX_SYNTAX_ISSUES_PER_DOCUMENT = 3;

/**
 * Parse the text of a manifest file (YAML, possibly with several documents, or JSON) into raw
 * Kubernetes objects. `List` and typed lists (`PodList`, `NamespaceList`, …) are expanded into
 * their items; items of typed lists without `kind`/`apiVersion` inherit them from the list.
 * Never throws: every problem is returned as an issue.
 */
export function parseManifests(text: string, file: string): ParseResult {
  const out: ParseResult = { objects: [], issues: [] };
  if (typeof text !== 'string') {
    out.issues.push({ severity: 'error', code: 'NOT_TEXT', message: 'input is not text', file });
    return out;
  }
  try {
    if (/^\s*[[{]/.test(text) && !jsonTooDeep(text)) {
      let value: unknown;
      let parsed = false;
      try {
        value = JSON.parse(text);
        parsed = true;
      } catch {
        // Not JSON after all: the YAML parser reports the problem with a line number.
      }
      if (parsed) {
        // JSON.parse gives plain data (`__proto__` as an own property), and the text is not
        // too deep: nothing to copy or check.
        addDocument(value, text.length, { file, document: 0 }, out, true);
        return out;
      }
    }
    // Most manifests use a plain subset of YAML that a fast reader handles; anything else
    // (and every problem) goes to the full YAML reader, which reports it with a line.
    const documents = parseYamlFast(text, MAX_DEPTH);
    if (documents !== undefined) {
      documents.forEach((doc, document) => addDocument(doc, text.length, { file, document }, out, true));
      return out;
    }
    parseYaml(text, file, out);
  } catch (e) {
    // Defensive: every step reports problems as issues, so this indicates a bug.
    out.issues.push({
      severity: 'error',
      code: 'INTERNAL_ERROR',
      message: `cannot read manifests: ${e instanceof Error ? e.message : String(e)}`,
      file,
    });
  }
  return out;
}

/**
 * Whether JSON text nests deeper than MAX_DEPTH (strings skipped). Such text goes to the YAML
 * path, whose pre-scan rejects it before anything deep is built (JSON.parse is very slow on
 * deep nesting).
 */
function jsonTooDeep(text: string): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Jump to the closing quote: the next `"` preceded by an even number of backslashes.
      let j = i;
      for (;;) {
        j = text.indexOf('"', j + 1);
        if (j < 0) return false;
        let backslashes = 0;
        while (text.charCodeAt(j - 1 - backslashes) === 92 /* \\ */) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      i = j;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

function parseYaml(original: string, file: string, out: ParseResult): void {
  let lexed = lex(original, file, out);
  if (lexed === undefined) return;
  let text = original;
  const tabLines = lexed.flowTabLines;
  if (tabLines.length > 0) {
    // kubectl (go-yaml) accepts tabs in the line prefix inside flow collections; the yaml
    // library does not. Read them as spaces: same length, so offsets and lines are unchanged.
    text = replaceLeadingTabs(original, tabLines);
    lexed = lex(text, file, out);
    if (lexed === undefined) return;
  }

  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ prettyErrors: false, merge: true, logLevel: 'error' });
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line;

  let nextIndex = 0;
  /** Start offsets of the CST documents, in order (their index is the document index). */
  const documentStarts: number[] = [];
  /** Document indices of the documents handed to the composer, in order. */
  const pending: number[] = [];
  let composed = 0;
  const take = (doc: Document.Parsed): void => {
    const document = pending.shift() ?? nextIndex;
    composed++;
    handleYamlDocument(doc, text.length, { file, document }, lineOf, out);
  };
  const feed = (token: CST.Token): void => {
    if (token.type === 'document') {
      const document = nextIndex++;
      documentStarts.push(token.offset);
      if (cstDepth(token) > MAX_DEPTH) {
        out.issues.push(tooDeep({ file, document }, lineOf(token.offset)));
        return;
      }
      pending.push(document);
    }
    for (const doc of composer.next(token)) take(doc);
  };

  try {
    for (const lexeme of lexed.lexemes) for (const token of parser.next(lexeme)) feed(token);
    for (const token of parser.end()) feed(token);
    for (const doc of composer.end()) take(doc);
    if (composed === 0) {
      // Errors outside any document (e.g. a stream of only a stray `...`).
      for (const error of composer.streamInfo().errors.slice(0, 1)) {
        out.issues.push({
          severity: 'error',
          code: 'YAML_SYNTAX',
          message: `line ${lineOf(error.pos[0])}: ${firstLine(error.message)}`,
          file,
          document: 0,
        });
      }
    }
  } catch (e) {
    // Defensive: documents are checked one by one, so this indicates a bug.
    out.issues.push({
      severity: 'error',
      code: 'INTERNAL_ERROR',
      message: `cannot parse YAML: ${e instanceof Error ? e.message : String(e)}`,
      file,
    });
  }
  for (const offset of tabLines) {
    let document = 0;
    documentStarts.forEach((start, i) => {
      if (start <= offset) document = i;
    });
    out.issues.push({
      severity: 'warning',
      code: 'YAML_TAB',
      message: `line ${lineOf(offset)}: tab in the indentation of a flow collection read as a space`,
      file,
      document,
    });
  }
  out.issues.sort((a, b) => (a.document ?? -1) - (b.document ?? -1));
}

interface Lexed {
  readonly lexemes: string[];
  /** Offsets of lines that start inside a flow collection with a tab in their indentation. */
  readonly flowTabLines: number[];
}

/**
 * Split the text into YAML lexemes, rejecting flow nesting (`[[[[…`) and compact block nesting
 * (`- - - - …`) deeper than MAX_DEPTH before the parser sees them: the yaml parser is slow on
 * very deep input and its composer recurses once per level.
 */
function lex(text: string, file: string, out: ParseResult): Lexed | undefined {
  const lexemes: string[] = [];
  const flowTabLines: number[] = [];
  let flowDepth = 0;
  let lineIndicators = 0;
  let offset = 0;
  let afterScalarMark = false;
  for (const lexeme of new Lexer().lex(text)) {
    lexemes.push(lexeme);
    if (afterScalarMark) {
      afterScalarMark = false;
      offset += lexeme.length;
      continue;
    }
    const type = CST.tokenType(lexeme);
    switch (type) {
      case 'scalar':
        afterScalarMark = true;
        continue;
      case 'doc-mode':
        continue;
      case 'flow-error-end':
        flowDepth = 0;
        continue;
      case 'flow-map-start':
      case 'flow-seq-start':
        flowDepth++;
        break;
      case 'flow-map-end':
      case 'flow-seq-end':
        if (flowDepth > 0) flowDepth--;
        break;
      case 'seq-item-ind':
      case 'explicit-key-ind':
        lineIndicators++;
        break;
      case 'newline': {
        lineIndicators = 0;
        const lineStart = offset + lexeme.length;
        if (flowDepth > 0 && hasLeadingTab(text, lineStart)) flowTabLines.push(lineStart);
        break;
      }
      default:
        break;
    }
    if (flowDepth > MAX_DEPTH || lineIndicators > MAX_DEPTH) {
      const line = countLines(text, offset);
      out.issues.push({
        severity: 'error',
        code: 'TOO_DEEP',
        message: `line ${line}: collections nested more than ${MAX_DEPTH} levels deep; the file is not loaded`,
        file,
      });
      return undefined;
    }
    offset += lexeme.length;
  }
  return { lexemes, flowTabLines };
}

/** Whether the line starting at `start` has a tab in its leading white space. */
function hasLeadingTab(text: string, start: number): boolean {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 9) return true;
    if (c !== 32) return false;
  }
  return false;
}

/** Replace the tabs in the leading white space of the lines starting at `starts` by spaces. */
function replaceLeadingTabs(text: string, starts: readonly number[]): string {
  const parts: string[] = [];
  let from = 0;
  for (const start of starts) {
    let end = start;
    while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
    parts.push(text.slice(from, start), ' '.repeat(end - start));
    from = end;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

function countLines(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Nesting depth of collections in a CST document, computed without recursion. */
function cstDepth(doc: CST.Document): number {
  let max = 0;
  const stack: [CST.Token, number][] = [];
  if (doc.value !== undefined) stack.push([doc.value, 0]);
  while (stack.length > 0) {
    const entry = stack.pop();
    if (entry === undefined) break;
    const [token, depth] = entry;
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      const d = depth + 1;
      if (d > max) max = d;
      if (max > MAX_DEPTH) return max;
      for (const item of token.items) {
        if (item.key !== undefined && item.key !== null) stack.push([item.key, d]);
        if (item.value !== undefined) stack.push([item.value, d]);
      }
    } else if (token.type === 'block-scalar') {
      for (const prop of token.props) stack.push([prop, depth]);
    }
  }
  return max;
}

function tooDeep(source: SourceRef, line: number): Issue {
  return {
    severity: 'error',
    code: 'TOO_DEEP',
    message: `line ${line}: collections nested more than ${MAX_DEPTH} levels deep`,
    file: source.file,
    document: source.document,
  };
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return nl < 0 ? message : message.slice(0, nl);
}

function handleYamlDocument(
  doc: Document.Parsed,
  textLength: number,
  source: SourceRef,
  lineOf: (offset: number) => number,
  out: ParseResult,
): void {
  const where = { file: source.file, document: source.document };
  for (const warning of doc.warnings) {
    out.issues.push({
      severity: 'warning',
      code: 'YAML_WARNING',
      message: `line ${lineOf(warning.pos[0])}: ${firstLine(warning.message)}`,
      ...where,
    });
  }
  if (doc.errors.length > 0) {
    const shown = doc.errors.slice(0, MAX_SYNTAX_ISSUES_PER_DOCUMENT);
    shown.forEach((error, i) => {
      const more = doc.errors.length - shown.length;
      const suffix = i === shown.length - 1 && more > 0 ? ` (and ${more} more syntax errors in this document)` : '';
      out.issues.push({
        severity: 'error',
        code: 'YAML_SYNTAX',
        message: `line ${lineOf(error.pos[0])}: ${firstLine(error.message)}${suffix}`,
        ...where,
      });
    });
    return;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const bomb = message.includes('Excessive alias count');
    // Alias problems surface here; point at the first alias, else at the document start.
    let offset = doc.range[0];
    visit(doc, {
      Alias(_key, node) {
        if (node.range) offset = node.range[0];
        return visit.BREAK;
      },
    });
    out.issues.push({
      severity: 'error',
      code: bomb ? 'YAML_ALIAS_LIMIT' : 'YAML_SYNTAX',
      message: `line ${lineOf(offset)}: ${bomb ? `aliases expand too much (more than ${MAX_ALIAS_COUNT} uses): ` : ''}${firstLine(message)}`,
      ...where,
    });
    return;
  }
  addDocument(value, textLength, source, out);
}

/**
 * Add the objects of one parsed document. `plain`: the value is already fresh plain data within
 * MAX_DEPTH (JSON.parse, the fast YAML reader), so it is used as it is instead of copied.
 */
function addDocument(value: unknown, textLength: number, source: SourceRef, out: ParseResult, plain = false): void {
  const where = { file: source.file, document: source.document };
  const state: NormalizeState = { budget: textLength + EXTRA_VALUE_BUDGET };
  const data = plain ? value : normalize(value, 0, state);
  if (state.failed !== undefined) {
    out.issues.push({
      severity: 'error',
      code: state.failed,
      message:
        state.failed === 'TOO_DEEP'
          ? `collections nested more than ${MAX_DEPTH} levels deep (or a recursive alias)`
          : 'document expands to too many values (alias expansion?)',
      ...where,
    });
    return;
  }
  if (data === null || data === undefined) return;
  if (!isRecord(data)) {
    // A top-level array is typically a non-manifest JSON file lying next to manifests (kubectl
    // and netpol-analyzer skip those too): warn and skip. A scalar document is a mistake.
    out.issues.push(
      Array.isArray(data)
        ? {
            severity: 'warning',
            code: 'NOT_A_MANIFEST',
            message:
              'document is a list, not a Kubernetes object; skipped (use kind: List with items to group objects)',
            ...where,
          }
        : {
            severity: 'error',
            code: 'NOT_A_MAPPING',
            message: `document is a ${typeof data}, not an object`,
            ...where,
          },
    );
    return;
  }
  expand(data, source, undefined, undefined, out);
}

/** Whether a kind is `List` or a typed list (`PodList`, …) holding `items`. */
function isListKind(kind: string, obj: Record<string, unknown>): boolean {
  return kind === 'List' || (kind.length > 4 && kind.endsWith('List') && Object.hasOwn(obj, 'items'));
}

function expand(
  obj: Record<string, unknown>,
  source: SourceRef,
  prefix: string | undefined,
  inherited: { kind: string; apiVersion: string | undefined } | undefined,
  out: ParseResult,
): void {
  if (inherited !== undefined) {
    if (isAbsent(obj['kind'])) obj['kind'] = inherited.kind;
    if (isAbsent(obj['apiVersion']) && inherited.apiVersion !== undefined) obj['apiVersion'] = inherited.apiVersion;
  }
  const kind = obj['kind'];
  const apiVersion = obj['apiVersion'];
  // The common case first: a valid object that is not a list (messages are built only for problems).
  if (typeof kind === 'string' && kind !== '' && typeof apiVersion === 'string' && apiVersion !== '') {
    if (!isListKind(kind, obj)) {
      out.objects.push(prefix === undefined ? { obj, source } : { obj, source, pathPrefix: prefix });
      return;
    }
  }
  const where = { file: source.file, document: source.document };
  const name = describeByName(obj);
  if (typeof kind !== 'string' || kind === '') {
    out.issues.push({
      severity: 'error',
      code: 'MISSING_KIND',
      message: `object${name} has no kind`,
      ...where,
      path: joinPath(prefix, 'kind'),
    });
    return;
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    out.issues.push({
      severity: 'error',
      code: 'MISSING_KIND',
      message: `${kind}${name} has no apiVersion`,
      ...where,
      path: joinPath(prefix, 'apiVersion'),
    });
    return;
  }
  const items = obj['items'];
  if (items === undefined || items === null) return;
  if (!Array.isArray(items)) {
    out.issues.push({
      severity: 'error',
      code: 'INVALID_FIELD',
      message: `${kind}${name}: items must be a list`,
      ...where,
      path: joinPath(prefix, 'items'),
    });
    return;
  }
  const itemInheritance = kind === 'List' ? undefined : { kind: kind.slice(0, -'List'.length), apiVersion };
  items.forEach((item: unknown, i) => {
    const itemPath = joinPath(prefix, `items[${i}]`);
    if (!isRecord(item)) {
      out.issues.push({
        severity: 'error',
        code: 'NOT_A_MAPPING',
        message: `item of ${kind} is ${item === null ? 'null' : Array.isArray(item) ? 'a list' : `a ${typeof item}`}, not an object`,
        ...where,
        path: itemPath,
      });
      return;
    }
    expand(item, source, itemPath, itemInheritance, out);
  });
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** ` "name"` (or ` "ns/name"`) for messages about objects that may lack a kind. */
function describeByName(obj: Record<string, unknown>): string {
  const metadata = obj['metadata'];
  if (!isRecord(metadata)) return '';
  const name = metadata['name'];
  const ns = metadata['namespace'];
  if (typeof name !== 'string' || name === '') return '';
  return typeof ns === 'string' && ns !== '' ? ` ${ns}/${name}` : ` ${name}`;
}

function joinPath(prefix: string | undefined, path: string): string {
  return prefix === undefined || prefix === '' ? path : `${prefix}.${path}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface NormalizeState {
  budget: number;
  failed?: 'TOO_DEEP' | 'TOO_LARGE';
}

/**
 * Copy a parsed value into fresh plain data: arrays and plain objects only, depth at most
 * MAX_DEPTH, at most `state.budget` values (shared alias targets are copied, so this bounds
 * expansion), `__proto__` keys kept as own data properties. YAML 1.1 extras become plain data:
 * maps become objects, sets lists, timestamps ISO strings.
 */
function normalize(value: unknown, depth: number, state: NormalizeState): unknown {
  if (state.failed !== undefined) return undefined;
  if (--state.budget < 0) {
    state.failed = 'TOO_LARGE';
    return undefined;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'number':
      return value;
    case 'bigint':
      return Number(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
    default:
      break;
  }
  if (value === null) return null;
  const obj = value as object;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? String(obj) : obj.toISOString();
  if (depth >= MAX_DEPTH) {
    state.failed = 'TOO_DEEP';
    return undefined;
  }
  if (Array.isArray(obj) || obj instanceof Set) {
    const copy: unknown[] = [];
    for (const item of obj as Iterable<unknown>) {
      copy.push(normalize(item, depth + 1, state));
      if (state.failed !== undefined) return undefined;
    }
    return copy;
  }
  const copy: Record<string, unknown> = {};
  if (obj instanceof Map) {
    for (const [k, v] of obj as Map<unknown, unknown>) {
      setOwn(copy, String(k), normalize(v, depth + 1, state));
      if (state.failed !== undefined) return undefined;
    }
    return copy;
  }
  const proto: unknown = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) return String(obj);
  for (const key of Object.keys(obj)) {
    setOwn(copy, key, normalize((obj as Record<string, unknown>)[key], depth + 1, state));
    if (state.failed !== undefined) return undefined;
  }
  return copy;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
