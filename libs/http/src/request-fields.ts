import { z } from 'zod';

/**
 * Control characters (C0, DEL, C1), lone UTF-16 surrogates, and the bidirectional overrides and
 * isolates that make text display in another order than it is stored (U+202A–U+202E,
 * U+2066–U+2069): none belongs in a name a person typed, and each can corrupt a log line, a
 * notification or what another user sees.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unprintable = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;

/** Text a person typed (a name, a title): trimmed, 1 to `max` characters, nothing unprintable. */
export function printableText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(
      (text) => !unprintable.test(text),
      'must not contain control, bidirectional-override or lone surrogate characters',
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
