import { describe, expect, it } from 'vitest';
import { wellFormedJson } from '../src/framework/json-text.ts';

describe('JSON text DuckDB accepts', () => {
  it('replaces each unpaired surrogate with U+FFFD and keeps a whole pair', () => {
    // '\ud83d\ude00' is one emoji (a pair); '\ud83d' and '\ude00' alone are halves of one.
    const value = { whole: 'a\ud83d\ude00b', high: 'x\ud83d', low: ['\ude00y'] };
    expect(JSON.parse(wellFormedJson(JSON.stringify(value), value))).toEqual({ whole: 'a\ud83d\ude00b', high: 'x\ufffd', low: ['\ufffdy'] });
    // Without the value the text is parsed again: the same answer.
    expect(wellFormedJson(JSON.stringify(value))).toBe('{"whole":"a\ud83d\ude00b","high":"x\ufffd","low":["\ufffdy"]}');
  });

  it('returns text without escaped surrogates as it is', () => {
    const text = '{"a":"plain \\"quoted\\" text"}';
    expect(wellFormedJson(text)).toBe(text);
  });
});
