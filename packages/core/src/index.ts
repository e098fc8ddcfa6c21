export { Warehouse, type OpenOptions, type Row, type SqlParams } from './database.ts';
export { breathe } from './breathe.ts';
export { readUntilWritten } from './kept-reads.ts';
export { BindParams, type BindValue } from './bind-params.ts';
export { canonicalCatalogue, catalogueMarkdown, columnTypes, type CatalogueColumn, type CatalogueTable, type CatalogueTableName } from './canonical-catalogue.ts';
export { WarehouseError, type WarehouseErrorCode, firstLine } from './errors.ts';
export { DuckDBDialect } from './kysely-dialect.ts';
export { migrations, latestSchemaVersion, type Migration } from './migrations/index.ts';
export * from './records.ts';
export * from './pii-catalogue.ts';
export type * from './tables.ts';
export * from './routing/index.ts';
export * from './identity/index.ts';
export * from './intent/index.ts';
export {
  outcomeDefaults,
  outcomeEdgeSql,
  isShortAbandon,
  isWithin,
  serviceLevelAndAbandonment,
  tierAtCreationSql,
  contactOrCustomerKeys,
} from './outcome-definitions.ts';
