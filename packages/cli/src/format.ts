/** Number formatting for the CLI's text output. */

/**
 * An integer with thousands separators, as `toLocaleString('en-US')` writes it (`1,234,567`), but
 * without Intl: the first locale-aware call loads ICU's number formatting, ~20–30 ms in every
 * process that makes one. Other numbers are written as `String` writes them.
 */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}
