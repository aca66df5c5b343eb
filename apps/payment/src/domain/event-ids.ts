import { createHash } from 'node:crypto';

/** The namespace of the payment service's name-based event ids (a random UUID, fixed once). */
const namespace = Buffer.from('6f1b7c2e9d4a4b1f8e3c5a7d9b2e4f60', 'hex');

/**
 * A UUID (version 5, RFC 9562) named by what the event says: one payment's authorization outcome
 * or its refund. Every emission of the same outcome, whoever makes it (a redelivered command, the
 * reconciler, a second instance), carries this same `ce_id`, so consumers' inboxes drop repeats.
 */
export function eventIdOf(paymentId: string, outcome: 'authorization' | 'refund'): string {
  const hash = createHash('sha1').update(namespace).update(`${paymentId}/${outcome}`).digest();
  // The version (5) and variant (RFC) bits.
  hash.writeUInt8((hash.readUInt8(6) & 0x0f) | 0x50, 6);
  hash.writeUInt8((hash.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
