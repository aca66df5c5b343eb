import { passwordLengthOf, passwordPolicyViolation } from './password-policy';

describe('password policy', () => {
  it.each([
    ['11 characters', 'a'.repeat(11), /at least 12/],
    ['129 characters', 'a'.repeat(129), /at most 128/],
    ['empty', '', /at least 12/],
  ])('when the password has %s, then it is refused', (_case, password, reason) => {
    expect(passwordPolicyViolation(password)).toMatch(reason);
  });

  it.each([
    ['12 characters', 'a'.repeat(12)],
    ['128 characters', 'a'.repeat(128)],
    ['spaces and no digits or symbols', 'correct horse battery staple'],
  ])('when the password has %s, then it is accepted', (_case, password) => {
    expect(passwordPolicyViolation(password)).toBeUndefined();
  });

  it('when the password has characters outside the BMP, then each counts once', () => {
    expect(passwordLengthOf('🔑'.repeat(12))).toBe(12);
    expect(passwordPolicyViolation('🔑'.repeat(12))).toBeUndefined();
    expect(passwordPolicyViolation('🔑'.repeat(11))).toMatch(/at least 12/);
  });
});
