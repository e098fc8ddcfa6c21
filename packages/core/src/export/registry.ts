import type { Dataset } from './dataset.ts';
import { ExportError } from './export-error.ts';

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
  datasets.set(dataset.name, dataset);
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
