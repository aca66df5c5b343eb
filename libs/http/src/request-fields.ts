import { z } from 'zod';

/**
 * Control characters (C0, DEL, C1), lone UTF-16 surrogates, and the bidirectional overrides and
 * isolates that make text display in another order than it is stored (U+202A–U+202E,
 * U+2066–U+2069): none belongs in a name a person typed, and each can corrupt a log line, a
 * notification or what another user sees.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unprintable = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;

/** What `String.prototype.trim` removes, as a regular expression class. */
const trimmed = String.raw`\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF`;
const unprintableClass = String.raw`\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069`;

/**
 * `printableText(max)` as a JSON Schema pattern, for documents: 1 to `max` characters, the first
 * and last printable and not whitespace, with only what trimming removes around them. (Length is
 * in the pattern because the server counts it after trimming; lone surrogates, which patterns
 * cannot name, are left out.)
 */
function printablePattern(max: number): string {
  const edge = `[^${trimmed}${unprintableClass}]`;
  return `^[${trimmed}]*${edge}(?:[^${unprintableClass}]{0,${max - 2}}${edge})?[${trimmed}]*$`;
}

/** Text a person typed (a name, a title): trimmed, 1 to `max` characters, nothing unprintable. */
export function printableText(max: number) {
  return (
    z
      .string()
      .trim()
      .min(1)
      .max(max)
      .refine(
        (text) => !unprintable.test(text),
        'must not contain control, bidirectional-override or lone surrogate characters',
      )
      // The length is counted after trimming, so it is in the pattern, not in maxLength.
      .meta({ pattern: printablePattern(max), maxLength: undefined })
  );
}

/** An email address as SMTP carries it (RFC 5321): a local part of at most 64 octets, 254 in all. */
export function emailAddress() {
  return z
    .email()
    .max(254)
    .refine(
      (email) => Buffer.byteLength(email.slice(0, email.lastIndexOf('@'))) <= 64,
      'the part before @ must be at most 64 characters',
    );
}
