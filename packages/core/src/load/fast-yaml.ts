/**
 * A fast reader for the plain subset of YAML that manifests are almost always written in (by
 * hand, by kubectl or by Helm): block mappings and sequences indented with spaces, plain and
 * quoted scalars (also folded over several lines), single-line flow collections, literal block
 * scalars (`|`, `|-`), comments, `---` separators, LF or CRLF line ends. For the documents it
 * accepts it gives exactly the values the `yaml` library gives (YAML 1.2 core schema, as
 * parse.ts configures it), an order of magnitude faster.
 *
 * Anything outside the subset (anchors, aliases, tags, directives, merge keys, explicit or
 * collection keys, folded or kept block scalars, multi-line flow collections, tabs, lone CRs,
 * control characters, duplicate or null keys, nesting deeper than the given limit, and every
 * syntax error) makes {@link parseYamlFast} return `undefined` for the whole text, and the
 * caller reads it with the `yaml` library, which reports problems with lines. So this reader
 * never reports anything and never changes what a file means; fast-yaml.test.ts checks it
 * against the `yaml` library on generated documents.
 */
/** Thrown inside the reader when the text leaves the subset. */
class Unsupported {}
const UNSUPPORTED = new Unsupported();

function unsupported(): never {
  throw UNSUPPORTED;
}

/**
 * Characters the reader leaves to the `yaml` library: tabs, CR, other C0 and C1 controls, DEL,
 * the Unicode line and paragraph separators and the byte order mark.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SPECIAL_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** The `yaml` library accepts implicit keys of at most 1024 characters; stay below that. */
const MAX_KEY_LENGTH = 1000;

const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DOT = 46;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const COMMA = 44;
const PIPE = 124;

/**
 * Characters that may not start a plain scalar here: YAML indicators (`-`, `?` and `:` start
 * one when a safe character follows: see {@link Reader.plainStart}), quotes and brackets.
 */
const NOT_PLAIN_START = new Uint8Array(128);
for (const c of ',[]{}#&*!|>\'"%@`') NOT_PLAIN_START[c.charCodeAt(0)] = 1;
const QUESTION = 63;

/** Escapes of double-quoted scalars with a fixed meaning (as in the `yaml` library). */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

const NULL_RE = /^(?:~|[Nn]ull|NULL)$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const INT_HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/**
 * The value of a plain scalar under the YAML 1.2 core schema, resolved in the order of the
 * `yaml` library's core tags: null, bool, octal, decimal and hex int, then floats.
 */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Null and bool need one of `~nNtTfF` first and a length of 1, 4 or 5 (`~`, `null`, `true`,
  // `false` in their spellings), numbers a digit, sign or dot: test only those.
  if (c === 126 /* ~ */ || c === 110 /* n */ || c === 78 /* N */) {
    return (s.length === 1 && c === 126) || (s.length === 4 && NULL_RE.test(s)) ? null : s;
  }
  if (c === 116 /* t */ || c === 84 /* T */ || c === 102 /* f */ || c === 70 /* F */) {
    return (s.length === 4 || s.length === 5) && BOOL_RE.test(s) ? c === 116 || c === 84 : s;
  }
  if (!((c >= 48 && c <= 57) || c === 43 /* + */ || c === DASH || c === DOT)) return s;
  if (INT_OCT_RE.test(s)) return parseInt(s.substring(2), 8);
  if (INT_RE.test(s)) return parseInt(s, 10);
  if (INT_HEX_RE.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN_RE.test(s)) {
    if (s.slice(-3).toLowerCase() === 'nan') return NaN;
    return c === DASH ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (FLOAT_EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s);
  return s;
}

/** A mapping key as the `yaml` library turns it into a property name (null keys are left out). */
function keyOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) unsupported();
  return String(value);
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key.length > MAX_KEY_LENGTH || key === '<<' || Object.hasOwn(obj, key)) unsupported();
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/**
 * Read YAML text of the plain subset into one value per document, or `undefined` when the text
 * uses anything else (the caller then uses the full YAML reader).
 */
export function parseYamlFast(text: string, maxDepth: number): unknown[] | undefined {
  if (text.includes('\r')) {
    // CRLF line ends read like LF ones; a lone CR is left to the full reader.
    if (/\r(?!\n)/.test(text)) return undefined;
    text = text.replace(/\r\n/g, '\n');
  }
  if (SPECIAL_CHARS.test(text)) return undefined;
  try {
    return new Reader(text, maxDepth).documents();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    // A stack overflow or a bug in the subset reader: let the full reader decide.
    return undefined;
  }
}

/**
 * The escape sequence at `j` (a backslash) of a double-quoted scalar: its value and the index
 * after it. Sequences the `yaml` library reports as errors are unsupported.
 */
function escape(text: string, j: number): { value: string; end: number } {
  const e = text.charAt(j + 1);
  if (Object.hasOwn(ESCAPES, e)) return { value: ESCAPES[e] as string, end: j + 2 };
  if (e !== 'x' && e !== 'u' && e !== 'U') unsupported();
  const length = e === 'x' ? 2 : e === 'u' ? 4 : 8;
  const hex = text.slice(j + 2, j + 2 + length);
  if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) unsupported();
  const code = parseInt(hex, 16);
  if (code > 0x10ffff) unsupported();
  return { value: String.fromCodePoint(code), end: j + 2 + length };
}

/**
 * Fold the lines of a multi-line plain or single-quoted scalar (port of the `yaml` library's
 * `unfoldLines`; the text has no tabs or CRs): trailing spaces of the first line and spaces
 * around the others go, a single line break becomes a space, each further one a line feed.
 */
function unfoldLines(source: string): string {
  const lines = source.split('\n');
  if (lines.length === 1) return source;
  let res = (lines[0] as string).replace(/ +$/, '');
  let sep = ' ';
  for (let k = 1; k < lines.length - 1; k++) {
    const line = (lines[k] as string).replace(/^ +| +$/g, '');
    if (line === '') {
      if (sep === '\n') res += sep;
      else sep = '\n';
    } else {
      res += sep + line;
      sep = ' ';
    }
  }
  return res + sep + (lines[lines.length - 1] as string).replace(/^ +/, '');
}

/**
 * The value of a double-quoted scalar over several lines, quotes included (port of the `yaml`
 * library's `doubleQuotedValue`; the text has no tabs or CRs).
 */
function doubleQuotedValue(source: string): string {
  let res = '';
  for (let i = 1; i < source.length - 1; ++i) {
    const ch = source[i];
    if (ch === '\n') {
      // Fold: a single line break becomes a space, each further one a line feed.
      let fold = '';
      let next = source[i + 1];
      while (next === ' ' || next === '\n') {
        if (next === '\n') fold += '\n';
        i++;
        next = source[i + 1];
      }
      res += fold === '' ? ' ' : fold;
    } else if (ch === '\\') {
      if (source[i + 1] === '\n') {
        // An escaped line break joins the lines; the next line's indentation goes.
        i++;
        while (source[i + 1] === ' ') i++;
      } else {
        const escaped = escape(source, i);
        res += escaped.value;
        i = escaped.end - 1;
      }
    } else if (ch === ' ') {
      // Spaces before a line break go.
      const start = i;
      while (source[i + 1] === ' ') i++;
      if (source[i + 1] !== '\n') res += source.slice(start, i + 1);
    } else {
      res += ch;
    }
  }
  return res;
}

/**
 * Line-oriented reader. `pos` is the start of the current line; {@link Reader.peek} moves it to
 * the next line with content and sets `indent` (-1 at the end of a document or of the text).
 */
class Reader {
  private pos = 0;
  /** Indentation of the current content line; -1 at a `---` line or the end of the text. */
  private indent = -1;
  /** End of the current line (index of its newline, or the text length). */
  private lineEnd = 0;
  /** After {@link Reader.tryKey} found a key: the index after its `:`. */
  private keyEnd = 0;

  constructor(
    private readonly text: string,
    /** Deepest nesting of collections accepted (deeper documents are left to the full reader). */
    private readonly maxDepth: number,
  ) {}

  documents(): unknown[] {
    const docs: unknown[] = [];
    let first = true;
    for (;;) {
      this.peek();
      if (this.pos >= this.text.length) break;
      if (this.indent < 0) {
        // A `---` line: a new document, possibly empty.
        this.pos = this.lineEnd + 1;
        this.peek();
        docs.push(this.indent < 0 ? null : this.rootNode());
      } else if (first) {
        docs.push(this.rootNode());
      } else {
        unsupported();
      }
      first = false;
    }
    return docs;
  }

  private rootNode(): unknown {
    const value = this.blockNode(this.indent, -1, 1);
    if (this.indent >= 0) unsupported();
    return value;
  }

  /**
   * Move `pos` to the next line that is not blank or a comment, and set `indent` and `lineEnd`
   * for it. A `---` line sets `indent` to -1; `...` and directives are unsupported.
   */
  private peek(): void {
    const text = this.text;
    const n = text.length;
    let pos = this.pos;
    while (pos < n) {
      let i = pos;
      while (text.charCodeAt(i) === SPACE) i++;
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      const c = text.charCodeAt(i);
      if (i === end || c === HASH) {
        pos = end + 1;
        continue;
      }
      this.pos = pos;
      this.lineEnd = end;
      if (i === pos && (c === DASH || c === DOT || c === 37) /* % */) {
        if (c === 37) unsupported();
        if (text.startsWith(c === DASH ? '---' : '...', i)) {
          const after = text.charCodeAt(i + 3);
          if (i + 3 === end || after === SPACE) {
            if (c === DOT) unsupported();
            this.checkRestIsComment(i + 3);
            this.indent = -1;
            return;
          }
          if (c === DOT) unsupported();
          // `---x` is a plain scalar as far as YAML goes; leave such lines to the full reader.
          unsupported();
        }
      }
      this.indent = i - pos;
      return;
    }
    this.pos = n;
    this.lineEnd = n;
    this.indent = -1;
  }

  /** From `i` to the end of the line: only spaces, optionally followed by a ` #` comment. */
  private checkRestIsComment(i: number): void {
    const text = this.text;
    const end = this.lineEnd;
    const start = i;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    if (i === end) return;
    if (text.charCodeAt(i) === HASH && i > start) return;
    unsupported();
  }

  /** Move to the line after the current one, then to the next content line. */
  private nextLine(): void {
    this.pos = this.lineEnd + 1;
    this.peek();
  }

  /**
   * The node whose first line is the current one, starting at column `col` (an indented line,
   * or the content after `- `). `parent` is the indentation of the enclosing collection.
   */
  private blockNode(col: number, parent: number, depth: number): unknown {
    const start = this.pos + col;
    const c = this.text.charCodeAt(start);
    if (c === DASH && this.isSeqIndicator(start)) return this.sequence(col, depth);
    const key = this.tryKey(start);
    if (key !== undefined) return this.mapping(col, key, depth);
    const value = this.inlineValue(start, depth, parent);
    this.nextLine();
    if (this.indent > parent) unsupported();
    return value;
  }

  /** Whether the `-` at `i` is a block sequence indicator (followed by a space or the line end). */
  private isSeqIndicator(i: number): boolean {
    return i + 1 === this.lineEnd || this.text.charCodeAt(i + 1) === SPACE;
  }

  /** A block sequence whose first item indicator is at column `col` of the current line. */
  private sequence(col: number, depth: number): unknown[] {
    if (depth > this.maxDepth) unsupported();
    const text = this.text;
    const items: unknown[] = [];
    for (;;) {
      // The current line has `-` at column `col`.
      let i = this.pos + col + 1;
      while (i < this.lineEnd && text.charCodeAt(i) === SPACE) i++;
      if (i === this.lineEnd || (text.charCodeAt(i) === HASH && i > this.pos + col + 1)) {
        this.checkRestIsComment(this.pos + col + 1);
        this.nextLine();
        items.push(this.indent > col ? this.blockNode(this.indent, col, depth + 1) : null);
      } else if (text.charCodeAt(i) === PIPE) {
        items.push(this.blockScalar(i, col));
      } else {
        items.push(this.blockNode(i - this.pos, col, depth + 1));
      }
      const indent = this.indent;
      if (indent < col) return items;
      if (indent > col) unsupported();
      const at = this.pos + col;
      if (text.charCodeAt(at) !== DASH || !this.isSeqIndicator(at)) return items;
    }
  }

  /**
   * A block mapping whose first key (already read, ending after its `:`) is at column `col` of
   * the current line.
   */
  private mapping(col: number, firstKey: string, depth: number): Record<string, unknown> {
    if (depth > this.maxDepth) unsupported();
    const text = this.text;
    const obj: Record<string, unknown> = {};
    let key = firstKey;
    for (;;) {
      const next = this.keyEnd;
      let i = next;
      while (i < this.lineEnd && text.charCodeAt(i) === SPACE) i++;
      let value: unknown;
      if (i === this.lineEnd || text.charCodeAt(i) === HASH) {
        // `key:` with the value on the following lines (a comment needs a space before it).
        if (i < this.lineEnd && i === next) unsupported();
        this.nextLine();
        const indent = this.indent;
        if (indent > col) value = this.blockNode(indent, col, depth + 1);
        else if (indent === col && text.charCodeAt(this.pos + col) === DASH && this.isSeqIndicator(this.pos + col)) {
          value = this.sequence(col, depth + 1);
        } else value = null;
      } else if (text.charCodeAt(i) === PIPE) {
        value = this.blockScalar(i, col);
      } else {
        value = this.inlineValue(i, depth + 1, col);
        this.nextLine();
        if (this.indent > col) unsupported();
      }
      setKey(obj, key, value);
      const indent = this.indent;
      if (indent < col) return obj;
      if (indent > col) unsupported();
      // Every line at the mapping's indentation must be a key (else a syntax error, or a
      // sequence item after a scalar, which the full reader reports).
      key = this.tryKey(this.pos + col) ?? unsupported();
    }
  }

  /**
   * If the text at `i` (on the current line) is an implicit mapping key followed by `:` and a
   * space or the line end, the key; {@link Reader.keyEnd} is then the index after the `:` (a
   * field rather than a returned pair: no object per key).
   */
  private tryKey(i: number): string | undefined {
    const text = this.text;
    const end = this.lineEnd;
    const c = text.charCodeAt(i);
    if (c === DQUOTE || c === SQUOTE) {
      const q = this.quotedOnLine(i);
      // A quoted scalar that goes on to the next line is no key: read it as a value.
      if (q === undefined) return undefined;
      let j = q.end;
      while (j < end && text.charCodeAt(j) === SPACE) j++;
      if (text.charCodeAt(j) !== COLON) return undefined;
      if ((j + 1 < end && text.charCodeAt(j + 1) !== SPACE) || j - i > MAX_KEY_LENGTH) unsupported();
      this.keyEnd = j + 1;
      return keyOf(q.value);
    }
    if (!this.plainStart(i, false)) return undefined;
    for (let j = i; j < end; j++) {
      const d = text.charCodeAt(j);
      if (d === COLON) {
        if (j + 1 === end || text.charCodeAt(j + 1) === SPACE) {
          if (j - i > MAX_KEY_LENGTH) unsupported();
          let k = j;
          while (text.charCodeAt(k - 1) === SPACE) k--;
          this.keyEnd = j + 1;
          return keyOf(resolvePlain(text.slice(i, k)));
        }
      } else if (d === HASH && text.charCodeAt(j - 1) === SPACE) {
        return undefined;
      }
    }
    return undefined;
  }

  /**
   * Whether a plain scalar may start at `i`: not at an indicator, and `-`, `?` or `:` only
   * when a safe character follows (not a space or the line end; in flow, not a flow indicator).
   */
  private plainStart(i: number, inFlow: boolean): boolean {
    const c = this.text.charCodeAt(i);
    if (c < 128 && NOT_PLAIN_START[c] === 1) return false;
    if (c !== DASH && c !== QUESTION && c !== COLON) return true;
    if (i + 1 >= this.lineEnd) return false;
    const d = this.text.charCodeAt(i + 1);
    return (
      d !== SPACE && !(inFlow && (d === COMMA || d === LBRACKET || d === RBRACKET || d === LBRACE || d === RBRACE))
    );
  }

  /**
   * A scalar or flow collection starting at `i` on the current line; only a comment may follow
   * it. Plain and quoted scalars may go on over lines indented more than `parent` (the
   * indentation of the enclosing collection); the current line is then the last of them.
   * Does not move to the next line.
   */
  private inlineValue(i: number, depth: number, parent: number): unknown {
    const text = this.text;
    const c = text.charCodeAt(i);
    let value: unknown;
    let end: number;
    if (c === DQUOTE || c === SQUOTE) {
      const q = this.quotedOnLine(i) ?? this.multiLineQuoted(i, parent);
      value = q.value;
      end = q.end;
    } else if (c === LBRACKET || c === LBRACE) {
      const f = this.flow(i, depth);
      value = f.value;
      end = f.end;
    } else {
      if (!this.plainStart(i, false)) unsupported();
      const stop = this.plainLineEnd(i);
      if (stop < this.lineEnd || parent < 0) return resolvePlain(text.slice(i, stop));
      return resolvePlain(this.multiLinePlain(i, stop, parent));
    }
    this.checkRestIsComment(end);
    return value;
  }

  /**
   * End of the plain scalar text that starts at `i` (or that goes on at `i` on a continuation
   * line): before a ` #` comment and trailing spaces. A `: ` or a final `:` (a nested mapping)
   * is unsupported.
   */
  private plainLineEnd(i: number): number {
    const text = this.text;
    const end = this.lineEnd;
    let stop = end;
    for (let j = i; j < end; j++) {
      const d = text.charCodeAt(j);
      if (d === COLON) {
        if (j + 1 === end || text.charCodeAt(j + 1) === SPACE) unsupported();
      } else if (d === HASH && text.charCodeAt(j - 1) === SPACE) {
        stop = j;
        break;
      }
    }
    while (text.charCodeAt(stop - 1) === SPACE) stop--;
    return stop;
  }

  /**
   * A plain scalar whose first line (from `i` to `stop`) ends the current line, with the
   * continuation lines that follow it, folded as the `yaml` library does.
   */
  private multiLinePlain(i: number, stop: number, parent: number): string {
    const text = this.text;
    const n = text.length;
    let last = stop;
    let pos = this.lineEnd + 1;
    while (pos < n) {
      let k = pos;
      while (text.charCodeAt(k) === SPACE) k++;
      let end = text.indexOf('\n', k);
      if (end < 0) end = n;
      if (k === end) {
        pos = end + 1;
        continue;
      }
      // A less indented line ends the scalar, and so does a comment.
      if (k - pos <= parent || text.charCodeAt(k) === HASH) break;
      this.pos = pos;
      this.lineEnd = end;
      const c = text.charCodeAt(k);
      // Leave lines that could be read as indicators to the full reader.
      if ((c < 128 && NOT_PLAIN_START[c] === 1) || c === DASH || c === QUESTION || c === COLON) unsupported();
      last = this.plainLineEnd(k);
      if (last < end) {
        // A comment ends the scalar; nothing more indented may follow.
        break;
      }
      pos = end + 1;
    }
    return last === stop ? text.slice(i, stop) : unfoldLines(text.slice(i, last));
  }

  /** A quoted scalar closed on the current line, starting at the quote at `i`; else undefined. */
  private quotedOnLine(i: number): { value: string; end: number } | undefined {
    return this.text.charCodeAt(i) === DQUOTE ? this.doubleQuoted(i) : this.singleQuoted(i);
  }

  /**
   * A quoted scalar starting at `i` that goes on over the following lines, each indented more
   * than `parent`. Folded by ports of the `yaml` library's own functions.
   */
  private multiLineQuoted(i: number, parent: number): { value: string; end: number } {
    if (parent < 0) unsupported();
    const text = this.text;
    const n = text.length;
    const double = text.charCodeAt(i) === DQUOTE;
    let j = i + 1;
    for (;;) {
      if (j >= this.lineEnd) {
        // Next line: blank, or indented more than the collection.
        const pos = this.lineEnd + 1;
        if (pos >= n) unsupported();
        let k = pos;
        while (text.charCodeAt(k) === SPACE) k++;
        let end = text.indexOf('\n', k);
        if (end < 0) end = n;
        if (k < end && k - pos <= parent) unsupported();
        this.pos = pos;
        this.lineEnd = end;
        j = k;
        continue;
      }
      const c = text.charCodeAt(j);
      if (double && c === BACKSLASH) {
        j += 2;
        continue;
      }
      if (c === (double ? DQUOTE : SQUOTE)) {
        if (!double && text.charCodeAt(j + 1) === SQUOTE && j + 1 < this.lineEnd) {
          j += 2;
          continue;
        }
        break;
      }
      j++;
    }
    const source = text.slice(i, j + 1);
    const value = double ? doubleQuotedValue(source) : unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
    return { value, end: j + 1 };
  }

  /** A double-quoted scalar on one line, starting at the quote at `i`; undefined if not closed. */
  private doubleQuoted(i: number): { value: string; end: number } | undefined {
    const text = this.text;
    const end = this.lineEnd;
    let out = '';
    let from = i + 1;
    for (let j = i + 1; j < end; j++) {
      const c = text.charCodeAt(j);
      if (c === DQUOTE) return { value: out + text.slice(from, j), end: j + 1 };
      if (c !== BACKSLASH) continue;
      // An escaped line break: the scalar goes on on the next line.
      if (j + 1 >= end) return undefined;
      out += text.slice(from, j);
      const escaped = escape(text, j);
      out += escaped.value;
      j = escaped.end - 1;
      from = escaped.end;
    }
    return undefined;
  }

  /** A single-quoted scalar on one line, starting at the quote at `i`; undefined if not closed. */
  private singleQuoted(i: number): { value: string; end: number } | undefined {
    const text = this.text;
    const end = this.lineEnd;
    let out = '';
    let from = i + 1;
    for (let j = i + 1; j < end; j++) {
      if (text.charCodeAt(j) !== SQUOTE) continue;
      if (text.charCodeAt(j + 1) === SQUOTE && j + 1 < end) {
        out += text.slice(from, j + 1);
        j++;
        from = j + 1;
        continue;
      }
      return { value: out + text.slice(from, j), end: j + 1 };
    }
    return undefined;
  }

  /** A flow collection on one line, starting at the bracket at `i`. */
  private flow(i: number, depth: number): { value: unknown; end: number } {
    if (depth > this.maxDepth) unsupported();
    const text = this.text;
    const open = text.charCodeAt(i);
    const close = open === LBRACKET ? RBRACKET : RBRACE;
    const seq: unknown[] = [];
    const map: Record<string, unknown> = {};
    let j = this.skipSpaces(i + 1);
    if (text.charCodeAt(j) === close) return { value: open === LBRACKET ? seq : map, end: j + 1 };
    for (;;) {
      if (open === LBRACKET) {
        const item = this.flowNode(j, depth + 1, false);
        seq.push(item.value);
        j = this.skipSpaces(item.end);
      } else {
        const key = this.flowNode(j, depth + 1, true);
        j = this.skipSpaces(key.end);
        if (text.charCodeAt(j) !== COLON) unsupported();
        const after = text.charCodeAt(j + 1);
        if (after !== SPACE && !key.quoted) unsupported();
        j = this.skipSpaces(j + 1);
        const c = text.charCodeAt(j);
        if (c === COMMA || c === close) unsupported();
        const value = this.flowNode(j, depth + 1, false);
        setKey(map, keyOf(key.value), value.value);
        j = this.skipSpaces(value.end);
      }
      const c = text.charCodeAt(j);
      if (c === close && j < this.lineEnd) return { value: open === LBRACKET ? seq : map, end: j + 1 };
      if (c !== COMMA || j >= this.lineEnd) unsupported();
      j = this.skipSpaces(j + 1);
      // A trailing comma is valid YAML, but rare: leave it to the full reader.
      if (text.charCodeAt(j) === close) unsupported();
    }
  }

  /** A node inside a flow collection: quoted, a nested collection, or a plain scalar. */
  private flowNode(i: number, depth: number, isKey: boolean): { value: unknown; end: number; quoted: boolean } {
    const text = this.text;
    if (i >= this.lineEnd) unsupported();
    const c = text.charCodeAt(i);
    if (c === DQUOTE || c === SQUOTE) {
      const q = this.quotedOnLine(i) ?? unsupported();
      return { value: q.value, end: q.end, quoted: true };
    }
    if (c === LBRACKET || c === LBRACE) {
      if (isKey) unsupported();
      const f = this.flow(i, depth);
      return { value: f.value, end: f.end, quoted: false };
    }
    if (!this.plainStart(i, true)) unsupported();
    const end = this.lineEnd;
    let j = i;
    for (; j < end; j++) {
      const d = text.charCodeAt(j);
      if (d === COMMA || d === RBRACKET || d === RBRACE) break;
      if (d === COLON) {
        if (isKey && text.charCodeAt(j + 1) === SPACE) break;
        unsupported();
      }
      if (d === LBRACKET || d === LBRACE || d === DQUOTE || d === SQUOTE || d === HASH) unsupported();
    }
    let stop = j;
    while (text.charCodeAt(stop - 1) === SPACE) stop--;
    return { value: resolvePlain(text.slice(i, stop)), end: stop, quoted: false };
  }

  private skipSpaces(i: number): number {
    while (i < this.lineEnd && this.text.charCodeAt(i) === SPACE) i++;
    return i;
  }

  /**
   * A literal block scalar (`|` or `|-`) whose indicator is at `i`; `parent` is the
   * indentation of the collection holding it. Leaves the reader at the next content line.
   */
  private blockScalar(i: number, parent: number): string {
    const text = this.text;
    let j = i + 1;
    const strip = text.charCodeAt(j) === DASH;
    if (strip) j++;
    if (j < this.lineEnd && text.charCodeAt(j) !== SPACE) unsupported();
    this.checkRestIsComment(j);
    const n = text.length;
    let pos = this.lineEnd + 1;
    let blockIndent = -1;
    /** Most spaces on a blank line before the first content line. */
    let leadingSpaces = 0;
    const lines: string[] = [];
    /** Number of entries of `lines` up to the last content line. */
    let contentLines = 0;
    while (pos < n) {
      let k = pos;
      while (text.charCodeAt(k) === SPACE) k++;
      let end = text.indexOf('\n', k);
      if (end < 0) end = n;
      const spaces = k - pos;
      if (k === end) {
        // A blank line: content if inside the block, chomped if trailing.
        if (blockIndent < 0) leadingSpaces = Math.max(leadingSpaces, spaces);
        else if (spaces > blockIndent) unsupported();
        lines.push('');
        pos = end + 1;
        continue;
      }
      if (blockIndent < 0) {
        if (spaces <= parent) break;
        if (leadingSpaces > spaces) unsupported();
        blockIndent = spaces;
      } else if (spaces < blockIndent) {
        break;
      }
      lines.push(text.slice(pos + blockIndent, end));
      contentLines = lines.length;
      pos = end + 1;
    }
    this.pos = Math.min(pos, n);
    this.peek();
    if (contentLines === 0) {
      // Blank lines with spaces and no content: leave the indentation rules to the full reader.
      if (leadingSpaces > 0) unsupported();
      return '';
    }
    const body = lines.slice(0, contentLines).join('\n');
    // Clip keeps one final line break (the `yaml` library adds it even at the end of the text).
    return strip ? body : `${body}\n`;
  }
}
