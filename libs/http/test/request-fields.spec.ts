import { z } from 'zod';
import { openApiSchemaOf, printableText } from '../src';

describe('printableText as the document describes it', () => {
  const name = printableText(6);
  const documented = (
    openApiSchemaOf(z.object({ name })) as { properties: { name: { pattern: string; maxLength?: number } } }
  ).properties.name;

  it.each([
    'Ada',
    'A',
    'Ada Lo',
    'Ada Lov',
    ' Ada Lo ',
    '\tAda\n',
    '\u00A0Ada\u3000',
    'A\u00A0b',
    '日本 語',
    '',
    '   ',
    '\t\n',
    'Ada\u0000',
    'A\u202Eb',
    'Ada\u2066',
    'A\u0085',
    '\u001CAda',
  ])('when the text is %j, then its pattern accepts it exactly when validation does', (text) => {
    expect(new RegExp(documented.pattern, 'u').test(text)).toBe(name.safeParse(text).success);
  });

  it('when documented, then no maxLength contradicts the length counted after trimming', () => {
    expect(documented.maxLength).toBeUndefined();
  });
});
