import { describe, expect, test } from 'vitest';
import { aircallContactRecord, formatPhone, normalizeEmail, normalizePhone, type PhoneStyle } from '../src/identities.ts';
import type { PhoneNumber } from '../src/people.ts';

const berlin: PhoneNumber = { country: 'DE', callingCode: '49', area: '30', subscriber: '1234567', mobile: false, switchboard: false };
const london: PhoneNumber = { country: 'GB', callingCode: '44', area: '20', subscriber: '79460958', mobile: false, switchboard: false };
const paris: PhoneNumber = { country: 'FR', callingCode: '33', area: '1', subscriber: '42685300', mobile: false, switchboard: false };
const sf: PhoneNumber = { country: 'US', callingCode: '1', area: '415', subscriber: '5550132', mobile: false, switchboard: false };
const styles: PhoneStyle[] = ['e164', 'international', 'national', 'doubleZero', 'trunkInBrackets', 'compact'];

describe('identifiers as people write them', () => {
  test('one number, many spellings, per country', () => {
    expect(styles.map((s) => formatPhone(berlin, s))).toEqual([
      '+49301234567', '+49 30 1234567', '030 1234567', '0049301234567', '+49 (0)30 1234567', '030/1234567',
    ]);
    expect(formatPhone(london, 'national')).toBe('020 7946 0958');
    expect(formatPhone(london, 'international')).toBe('+44 20 7946 0958');
    expect(formatPhone(paris, 'national')).toBe('01 42 68 53 00');
    expect(formatPhone(sf, 'national')).toBe('(415) 555-0132');
    expect(formatPhone(sf, 'doubleZero')).toBe('001 415 555 0132');
  });

  test('phones as every adapter writes them: E.164 with a country code (the trunk 0 dropped), a national number as its digits', () => {
    // +49 (0)30 1234567: Berlin 030 1234567 from abroad drops the trunk 0: +49 30 1234567.
    expect(normalizePhone(' +49 (0)30 1234567 ')).toBe('+49301234567');
    // No country code: identity resolution applies its region later; the digits as written.
    expect(normalizePhone('030/1234567')).toBe('0301234567');
    // 00 is the international prefix: the same number as the first.
    expect(normalizePhone('0049301234567')).toBe('+49301234567');
    expect(normalizeEmail('  John.Smith@Gmail.com ')).toBe('john.smith@gmail.com');
  });

  test('a saved Aircall contact: each number its calls came from and the contact\'s own details, once per identifier', () => {
    const facts = { id: 710, firstName: 'Nathan', lastName: 'Melka', emails: ['Nathan@Aircall.io'], phoneNumbers: ['+49 30 1234567'] };
    // Called from their own number (E.164, as raw_digits) and from the company switchboard.
    const record = aircallContactRecord(facts, ['+49301234567', '+4930555000']);
    expect(record).toEqual({
      contactId: 'aircall:contact:710',
      source: 'aircall',
      identities: [
        // '+49 30 1234567' is the same number; of the two spellings the greater stays ('4' > ' ').
        { kind: 'phone', raw: '+49301234567', value: '+49301234567', verified: false },
        { kind: 'phone', raw: '+4930555000', value: '+4930555000', verified: false },
        { kind: 'email', raw: 'Nathan@Aircall.io', value: 'nathan@aircall.io', verified: false },
        { kind: 'name', raw: 'Nathan Melka', value: 'nathan melka', verified: false },
      ],
    });
    // Only switchboard calls: the contact's number as its address book writes it.
    expect(aircallContactRecord(facts, ['+4930555000']).identities.slice(0, 2).map((d) => d.raw)).toEqual(['+4930555000', '+49 30 1234567']);
  });
});
