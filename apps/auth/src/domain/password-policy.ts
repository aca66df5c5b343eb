/** NIST SP 800-63B and OWASP ASVS: length is what counts; no composition rules. */
export const passwordLength = { min: 12, max: 128 } as const;

/** Length in characters (code points), so an emoji counts once, as a user would count it. */
export function passwordLengthOf(password: string): number {
  return [...password].length;
}

/** Why a password is refused, or undefined when the policy accepts it. */
export function passwordPolicyViolation(password: string): string | undefined {
  const length = passwordLengthOf(password);
  if (length < passwordLength.min) return `must be at least ${passwordLength.min} characters long`;
  if (length > passwordLength.max) return `must be at most ${passwordLength.max} characters long`;
  return undefined;
}
