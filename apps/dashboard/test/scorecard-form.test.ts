import { describe, expect, it } from 'vitest';
import { scorecardFromForm } from '../src/lib/server/scorecard-form.ts';

function form(entries: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

describe('the scorecard editor form', () => {
  it('reads categories, scales, weights, critical, N/A, groups and conditions; skips blank and removed rows', () => {
    const card = scorecardFromForm(form([
      ['id', 'chat-support'], ['name', ' Chat support '], ['passBaseline', '75'], ['channel', 'chat'], ['channel', 'social'], ['teams', 'billing, , vip'],
      ['cat.0.id', 'tone'], ['cat.0.name', 'Tone'], ['cat.0.scale', '5-point'], ['cat.0.weight', '1.5'], ['cat.0.group', 'Communication'], ['cat.0.allowNa', 'on'],
      ['cat.1.id', 'old'], ['cat.1.name', 'Old'], ['cat.1.scale', 'binary'], ['cat.1.weight', '1'], ['cat.1.remove', 'on'],
      ['cat.2.id', 'solution'], ['cat.2.name', 'Solution'], ['cat.2.scale', '4-point'], ['cat.2.weight', '2'], ['cat.2.critical', 'on'],
      ['cat.3.id', ''], ['cat.3.name', ''], ['cat.3.scale', 'binary'], ['cat.3.weight', '1'],
    ]));
    expect(card).toEqual({
      id: 'chat-support', name: 'Chat support', passBaseline: 75, appliesTo: { channels: ['chat', 'social'], teams: ['billing', 'vip'] },
      categories: [
        { id: 'tone', name: 'Tone', scale: '5-point', weight: 1.5, critical: false, allowNa: true, group: 'Communication' },
        { id: 'solution', name: 'Solution', scale: '4-point', weight: 2, critical: true, allowNa: false },
      ],
    });
  });

  it('a bad row is one readable message naming the field', () => {
    const bad = form([['id', 'x'], ['name', 'X'], ['cat.0.id', 'Tone!'], ['cat.0.name', 'Tone'], ['cat.0.scale', '7-point'], ['cat.0.weight', 'heavy']]);
    expect(() => scorecardFromForm(bad)).toThrow(/categories\.0\.id: use lower-case letters.*categories\.0\.scale.*categories\.0\.weight/);
    expect(() => scorecardFromForm(form([['id', 'x'], ['name', 'X']]))).toThrow('a scorecard needs at least one category');
  });
});
