import { describe, expect, it } from 'vitest';
import { BindParams } from '../src/bind-params.ts';

describe('bind parameters', () => {
  it('numbers each value in order, after the ones a prefix already bound', () => {
    const p = new BindParams({ after: ['2026-01-01'] });
    expect(`a = ${p.add('x')} AND b IN (${p.list(['y', 'x'])})`).toBe('a = $2 AND b IN ($3, $4)');
    expect(p.values).toEqual(['2026-01-01', 'x', 'y', 'x']);
  });

  it('with reuse, a repeated value keeps its first number; a number and its string are two values', () => {
    const p = new BindParams({ reuse: true });
    expect([p.add('en'), p.add(1), p.add('en'), p.add('1'), p.add(1)]).toEqual(['$1', '$2', '$1', '$3', '$2']);
    expect(p.values).toEqual(['en', 1, '1']);
  });

  it('binds a list of objects as one JSON parameter read as a table', () => {
    const p = new BindParams();
    expect(p.table([{ id: "o'k" }], { id: 'VARCHAR' })).toBe(`(SELECT unnest(from_json($1, '[{"id":"VARCHAR"}]'), recursive := true))`);
    expect(p.values).toEqual(['[{"id":"o\'k"}]']);
  });
});
