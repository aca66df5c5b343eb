/**
 * Emails are compared case-insensitively: the normalized form is what is stored, indexed (unique)
 * and answered, so `Alice@Example.com` and `alice@example.com` are one account.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
