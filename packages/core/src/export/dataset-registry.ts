import type { Dataset, DatasetColumn } from './dataset.ts';
import { ExportError } from './export-error.ts';
import { cataloguedPii } from '../pii-catalogue.ts';

export { ExportError };

const datasets = new Map<string, Dataset>();

/**
 * Adds a dataset to the export registry (metrics registers its KPI tables this way).
 *
 * @example
 * registerDataset({ name: 'kpi_daily', description: '...', columns: [...], from: 'kpi_daily', timeColumn: 'day' });
 */
export function registerDataset(dataset: Dataset): void {
  if (!/^[a-z][a-z0-9_]*$/.test(dataset.name)) throw new ExportError(`dataset name "${dataset.name}" must be snake_case`);
  if (datasets.has(dataset.name)) throw new ExportError(`dataset "${dataset.name}" is already registered`);
  const names = new Set<string>();
  for (const column of dataset.columns) {
    if (!/^[a-z][a-z0-9_]*$/.test(column.name)) throw new ExportError(`${dataset.name}: column name "${column.name}" must be snake_case`);
    if (names.has(column.name)) throw new ExportError(`${dataset.name}: column "${column.name}" appears twice`);
    names.add(column.name);
  }
  datasets.set(dataset.name, withCataloguePii(dataset));
}

/**
 * The dataset with every column that reads a catalogued column (`alias.column` over a table of its
 * FROM) marked as the catalogue says (pii-catalogue.ts), so no dataset can export a PII column
 * unmarked. A marking the dataset gives itself is kept (it may be stricter or add a condition).
 *
 * @example
 * withCataloguePii(eventsDataset).columns.find((c) => c.name === 'from_value')?.pii // 'identifier'
 */
export function withCataloguePii(dataset: Dataset): Dataset {
  const tables = tablesOf(dataset.from);
  const columns = dataset.columns.map((column): DatasetColumn => {
    if (column.pii) return column;
    const ref = /^\s*(\w+)\.(\w+)\s*$/.exec(column.sql);
    const table = ref && tables.get(ref[1]);
    const marked = table ? cataloguedPii(table, ref[2]) : undefined;
    if (!marked) return column;
    // Hash lookups list distinct values over the row source alone when the column lives there.
    const own = dataset.rowSource && dataset.rowSource.alias === ref![1] && dataset.rowSource.table === table && !column.distinctFrom;
    return {
      ...column, pii: marked.kind,
      ...(marked.when ? { piiWhen: marked.when.sql.replaceAll('$t', ref![1]) } : {}),
      ...(own ? { distinctFrom: `${table} ${ref![1]}` } : {}),
    };
  });
  return { ...dataset, columns };
}

/** alias -> table of a FROM clause such as `events e JOIN interactions i ON ...`. */
function tablesOf(from: string): Map<string, string> {
  const tables = new Map<string, string>();
  for (const m of from.matchAll(/(?:^|\bJOIN\s+|,\s*)(\w+)\s+(?:AS\s+)?(\w+)/gi)) {
    if (!/^(ON|USING|JOIN|LEFT|RIGHT|INNER|FULL|CROSS|WHERE)$/i.test(m[2])) tables.set(m[2], m[1]);
  }
  return tables;
}

/**
 * The registered dataset of that name, or a clear error listing the known ones.
 *
 * @example
 * getDataset('interactions').columns.length // 35
 */
export function getDataset(name: string): Dataset {
  const dataset = datasets.get(name);
  if (!dataset) throw new ExportError(`unknown dataset "${name}"; known: ${listDatasets().map((d) => d.name).join(', ')}`);
  return dataset;
}

/** Every registered dataset, by name. */
export function listDatasets(): Dataset[] {
  return [...datasets.values()].sort((a, b) => a.name.localeCompare(b.name));
}
