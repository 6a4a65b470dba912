/**
 * Flat strings for long-lived keys.
 *
 * V8 builds `a + b` and template literals as a tree of pieces (a "cons string"), one heap object
 * per `+`, and keeps the tree as it is when the string is used as a `Map` key or stored: hashing
 * walks the tree without flattening it. A 10k-pod analysis kept ~150k such pieces alive in its
 * shape keys, class signatures and predicate keys, and the garbage collector copied every one of
 * them (twice: once within the young generation, once to the old one).
 *
 * Reading a character flattens a tree in place (one new flat string; the tree's top now points to
 * it), and the next garbage collection drops the top as well. So a key is flattened once, where it
 * is made, and every later use is of one flat string.
 */

/** Sink for the character read by {@link flat}, so that an optimising compiler cannot drop the read. */
let _sink = 0;

/** The same string, flattened (see the module comment). */
export function flat(s: string): string {
  _sink ^= s.charCodeAt(0) | 0;
  return s;
}
