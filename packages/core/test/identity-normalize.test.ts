import { describe, expect, test } from 'vitest';
import { dobSql, emailSql, foldSql, foldText, handleSql, normalizePhone, phoneTail, referenceSql, Warehouse } from '../src/index.ts';

const wh = await Warehouse.open(':memory:');
async function sql(expr: string, value: string): Promise<unknown> {
  const [row] = await wh.all<{ v: unknown }>(`SELECT ${expr} AS v`, [value]);
  return row.v;
}
const rules = { stripPlusTags: true, gmailDots: true };

describe('phone numbers become E.164 with the region of their source', () => {
  test.each([
    ['(415) 555-0101', 'US', '+14155550101'],
    ['415.555.0101', 'US', '+14155550101'],
    ['+1 415 555 0101', 'DE', '+14155550101'], // an international number ignores the default region
    ['030 1234567', 'DE', '+49301234567'],
    ['0049 30 1234567', 'US', '+49301234567'], // 00 is the international prefix in Europe
    ['020 7946 0958', 'GB', '+442079460958'],
    ['07700 900123', 'GB', '+447700900123'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['03-1234-5678', 'JP', '+81312345678'],
    ['(11) 91234-5678', 'BR', '+5511912345678'],
  ])('%s in %s is %s', (raw, region, expected) => {
    expect(normalizePhone(raw, region)).toEqual({ value: expected });
  });

  test('a number that cannot be a phone is refused with a reason, not dropped', () => {
    const result = normalizePhone('call me maybe', 'US');
    expect(result.value).toBeNull();
    expect(result.reason).toMatch(/not a possible phone number for region US/);
    expect(normalizePhone('12', 'DE').value).toBeNull();
  });

  test('the partial phone is the last seven digits of whatever was written', () => {
    expect(phoneTail('386-5286')).toBe('3865286');
    expect(phoneTail('+1 (773) 386-5286')).toBe('3865286');
    expect(phoneTail('5286')).toBeNull();
  });
});

describe('emails are folded by case, whitespace and provider rules', () => {
  test.each([
    [' Ann.Lee@Example.COM ', 'ann.lee@example.com'],
    ['mailto:ann@example.com', 'ann@example.com'],
    ['<ann@example.com>', 'ann@example.com'],
    ['ann+orders@example.com', 'ann@example.com'],
    ['A.n.N+x@GoogleMail.com', 'ann@gmail.com'], // Gmail ignores dots; googlemail is gmail
    ['ann.lee@outlook.com', 'ann.lee@outlook.com'], // dots matter outside Gmail
  ])('%s is %s', async (raw, expected) => {
    expect(await sql(emailSql('$1::VARCHAR', rules), raw)).toBe(expected);
  });

  test('provider rules are optional', async () => {
    expect(await sql(emailSql('$1::VARCHAR', { stripPlusTags: false, gmailDots: false }), 'A.nn+x@gmail.com')).toBe('a.nn+x@gmail.com');
  });

  test('something that is not an email becomes NULL (and the resolver quarantines it)', async () => {
    expect(await sql(emailSql('$1::VARCHAR', rules), 'ann at example dot com')).toBeNull();
    expect(await sql(emailSql('$1::VARCHAR', rules), 'ann@localhost')).toBeNull();
  });
});

describe('names, dates, handles and references', () => {
  test('names are folded: accents, case, punctuation', async () => {
    expect(await sql(foldSql('$1::VARCHAR'), '  Zoë  O’Brien-Müller ')).toBe('zoe o brien muller');
    expect(await sql(foldSql('$1::VARCHAR'), 'José ÁLVAREZ')).toBe('jose alvarez');
    // Letters that are no accented base letter are spelled out as on a plain keyboard.
    expect(await sql(foldSql('$1::VARCHAR'), 'Weiß')).toBe(await sql(foldSql('$1::VARCHAR'), 'WEISS'));
    expect(await sql(foldSql('$1::VARCHAR'), 'Yılmaz Łukasz Søren Œuvre Æsir Þór')).toBe('yilmaz lukasz soren oeuvre aesir thor');
    expect(foldText('Yılmaz Łukasz Søren Œuvre Æsir Þór')).toBe('yilmaz lukasz soren oeuvre aesir thor');
  });

  test('dates of birth from several formats, month first for slashes unless the day says otherwise', async () => {
    expect(await sql(dobSql('$1::VARCHAR', 'mdy'), '12/11/1978')).toBe('1978-12-11');
    expect(await sql(dobSql('$1::VARCHAR', 'dmy'), '12/11/1978')).toBe('1978-11-12');
    expect(await sql(dobSql('$1::VARCHAR', 'mdy'), '31/03/1954')).toBe('1954-03-31');
    expect(await sql(dobSql('$1::VARCHAR', 'mdy'), '19560409')).toBe('1956-04-09');
    expect(await sql(dobSql('$1::VARCHAR', 'mdy'), '1993-09-14')).toBe('1993-09-14');
    expect(await sql(dobSql('$1::VARCHAR', 'mdy'), '1993-02-30')).toBeNull();
  });

  test('social handles lose the profile URL and the @', async () => {
    expect(await sql(handleSql('$1::VARCHAR'), 'https://twitter.com/JaneDoe')).toBe('janedoe');
    expect(await sql(handleSql('$1::VARCHAR'), '@JaneDoe')).toBe('janedoe');
  });

  test('CRM ids and order numbers ignore case, separators and a leading #', async () => {
    expect(await sql(referenceSql('$1::VARCHAR'), ' #ORD-1234 ')).toBe('ord1234');
    expect(await sql(referenceSql('$1::VARCHAR'), 'ord 1234')).toBe('ord1234');
  });
});
