import type { Comparison } from './config.ts';

/** One comparison turned into SQL: a CASE giving the level index (0 = best), or -1 when a side is missing. */
export interface ComparisonSql {
  name: string;
  levels: string[];
  /** SQL over `l.` and `r.` record columns. Column names come from the validated config enum. */
  sql: string;
  /** The column whose value frequency adjusts the exact level, when `tf` is on. */
  tfColumn?: string;
}

const fmt = (n: number) => String(Number(n));

/**
 * Damerau-Levenshtein distance at most `t`. DuckDB's damerau_levenshtein is several times slower
 * than levenshtein, and a distance of t transpositions is at most 2t plain edits, so the cheap test
 * runs first and the exact one only on the few pairs that pass it.
 */
function damerauSql(a: string, b: string, t: number): string {
  return `(levenshtein(${a}, ${b}) <= ${fmt(2 * t)} AND damerau_levenshtein(${a}, ${b}) <= ${fmt(t)})`;
}

function caseOf(nullWhen: string, levels: [string, string][]): string {
  const arms = levels.map(([, cond], i) => `WHEN ${cond} THEN ${i}`).join(' ');
  return `CASE WHEN ${nullWhen} THEN -1 ${arms} ELSE ${levels.length} END`;
}

/**
 * The SQL and level labels of a comparison, as in Splink's comparison library (levels best first).
 * @example comparisonSql({ name: 'city', type: 'exact', columns: ['city'], tf: true }).levels // ['exact', 'else']
 */
export function comparisonSql(c: Comparison): ComparisonSql {
  const [a, b] = c.columns;
  const nullOne = `l.${a} IS NULL OR r.${a} IS NULL`;
  let levels: [string, string][];
  let nullWhen = nullOne;
  switch (c.type) {
    case 'exact':
      levels = [['exact', `l.${a} = r.${a}`]];
      break;
    case 'jaro_winkler': {
      const t = c.thresholds ?? [0.92, 0.88, 0.7];
      levels = [['exact', `l.${a} = r.${a}`], ...t.map((x): [string, string] => [`jaro-winkler >= ${x}`, `jaro_winkler_similarity(l.${a}, r.${a}) >= ${fmt(x)}`])];
      break;
    }
    case 'levenshtein': {
      const t = c.thresholds ?? [1, 2];
      levels = [['exact', `l.${a} = r.${a}`], ...t.map((x): [string, string] => [`edit distance <= ${x}`, damerauSql(`l.${a}`, `r.${a}`, x)])];
      break;
    }
    case 'forename_surname': {
      if (!b) throw new Error(`comparison ${c.name}: forename_surname needs two columns (forename, surname)`);
      const jw = (x: number) => `jaro_winkler_similarity(l.${a}, r.${a}) >= ${x} AND jaro_winkler_similarity(l.${b}, r.${b}) >= ${x}`;
      nullWhen = `(l.${a} IS NULL AND l.${b} IS NULL) OR (r.${a} IS NULL AND r.${b} IS NULL)`;
      levels = [
        ['exact forename and surname', `l.${a} = r.${a} AND l.${b} = r.${b}`],
        ['forename and surname swapped', `l.${a} = r.${b} AND l.${b} = r.${a}`],
        ['nickname forename, exact surname', `l.first_canon = r.first_canon AND l.${b} = r.${b}`],
        ['both jaro-winkler >= 0.92', jw(0.92)],
        ['both jaro-winkler >= 0.88', jw(0.88)],
        ['exact surname', `l.${b} = r.${b}`],
        ['exact forename', `l.${a} = r.${a}`],
      ];
      break;
    }
    case 'email': {
      const sameDigits = `regexp_replace(l.email_local, '[^0-9]', '', 'g') = regexp_replace(r.email_local, '[^0-9]', '', 'g')`;
      levels = [
        ['exact email', `l.${a} = r.${a}`],
        ['exact local part', `l.email_local = r.email_local`],
        // A near-identical address is a typo only when its numbers agree: "morristhomas1783" and
        // "morristhomas3890" are two people of one name, not one person who mistyped.
        ['email jaro-winkler >= 0.88', `jaro_winkler_similarity(l.${a}, r.${a}) >= 0.88 AND ${sameDigits}`],
        ['local part jaro-winkler >= 0.88', `jaro_winkler_similarity(l.email_local, r.email_local) >= 0.88 AND ${sameDigits}`],
      ];
      break;
    }
    case 'dob': {
      const days = `abs(date_diff('day', try_cast(l.${a} AS DATE), try_cast(r.${a} AS DATE)))`;
      levels = [
        ['exact', `l.${a} = r.${a}`],
        ['one typo', damerauSql(`l.${a}`, `r.${a}`, 1)],
        ['within a month', `${days} <= 31`],
        ['within a year', `${days} <= 366`],
        ['within ten years', `${days} <= 3653`],
      ];
      break;
    }
    case 'phone':
      nullWhen = `(l.${a} IS NULL AND l.phone_tail IS NULL) OR (r.${a} IS NULL AND r.phone_tail IS NULL)`;
      levels = [['exact E.164', `l.${a} = r.${a}`], ['same last 7 digits', `l.phone_tail = r.phone_tail`]];
      break;
  }
  return {
    name: c.name,
    levels: [...levels.map(([label]) => label), 'else'],
    sql: caseOf(nullWhen, levels),
    tfColumn: c.tf ? a : undefined,
  };
}

/** SQL for one blocking key on side `side` (`surname:first3` -> `left(l.surname, 3)`). */
export function blockingKeySql(key: string, side: string): string {
  const [col, part] = key.split(':');
  const ref = side ? `${side}.${col}` : col;
  if (!part) return ref;
  const n = Number(part.replace(/\D/g, ''));
  return part.startsWith('first') ? `left(${ref}, ${n})` : `right(${ref}, ${n})`;
}

/** The join condition of a blocking rule: every key equal and present on both sides. */
export function blockingRuleSql(rule: string[]): string {
  return rule.map((k) => `${blockingKeySql(k, 'l')} = ${blockingKeySql(k, 'r')}`).join(' AND ');
}

/** Columns a blocking rule uses, so EM can leave their comparisons out of that session. */
export function blockingRuleColumns(rule: string[]): string[] {
  return rule.map((k) => k.split(':')[0]);
}

/** Record columns a comparison reads, including the derived ones (email_local, first_canon, phone_tail). */
export function comparisonColumns(c: Comparison): string[] {
  if (c.type === 'forename_surname') return [...c.columns, 'first_canon'];
  if (c.type === 'email') return [...c.columns, 'email_local'];
  if (c.type === 'phone') return [...c.columns, 'phone_tail'];
  return c.columns;
}
