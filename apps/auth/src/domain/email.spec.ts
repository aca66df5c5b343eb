import { normalizeEmail } from './email';

describe('normalizeEmail', () => {
  it('when an email has capitals and surrounding spaces, then it is lower-cased and trimmed', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });
});
