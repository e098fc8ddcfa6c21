import { parseScorecard, type ScorecardDefinition } from '@helpdesk/qa-sampler';

/**
 * The scorecard editor's form, read back into a definition. Fields: `id`, `name`, `passBaseline`,
 * `channel` (repeated), `teams` (comma-separated), and per category row N `cat.N.id`, `.name`,
 * `.description`, `.scale`, `.weight`, `.group`, and the checkboxes `.critical`, `.allowNa`,
 * `.remove`. A row with neither id nor name is an unused blank row. The result goes through the
 * same validation as any scorecard (`parseScorecard`), so a bad form gets one readable message.
 *
 * @example
 * // id=chat, name=Chat, passBaseline=80, cat.0.id=tone, cat.0.name=Tone, cat.0.scale=5-point, cat.0.weight=1
 * scorecardFromForm(form); // { id: 'chat', name: 'Chat', categories: [{ id: 'tone', ... }], ... }
 */
export function scorecardFromForm(form: FormData): ScorecardDefinition {
  const text = (key: string) => String(form.get(key) ?? '').trim();
  const rows = new Set<number>();
  for (const key of form.keys()) {
    const m = /^cat\.(\d{1,3})\./.exec(key);
    if (m) rows.add(Number(m[1]));
  }
  const categories = [...rows]
    .sort((a, b) => a - b)
    .filter((n) => form.get(`cat.${n}.remove`) !== 'on' && (text(`cat.${n}.id`) || text(`cat.${n}.name`)))
    .map((n) => ({
      id: text(`cat.${n}.id`),
      name: text(`cat.${n}.name`),
      ...(text(`cat.${n}.description`) ? { description: text(`cat.${n}.description`) } : {}),
      scale: text(`cat.${n}.scale`),
      weight: number(text(`cat.${n}.weight`) || '1'),
      critical: form.get(`cat.${n}.critical`) === 'on',
      allowNa: form.get(`cat.${n}.allowNa`) === 'on',
      ...(text(`cat.${n}.group`) ? { group: text(`cat.${n}.group`) } : {}),
    }));
  const channels = form.getAll('channel').map(String);
  const teams = text('teams').split(',').map((t) => t.trim()).filter(Boolean);
  return parseScorecard({
    id: text('id'),
    name: text('name'),
    passBaseline: number(text('passBaseline') || '80'),
    appliesTo: { ...(channels.length ? { channels } : {}), ...(teams.length ? { teams } : {}) },
    categories,
  });
}

/** A number typed in a form; anything else stays a string so validation names the field. */
function number(value: string): number | string {
  const n = Number(value);
  return value !== '' && Number.isFinite(n) ? n : value;
}
