/**
 * Interaction ids, `<source>:<native id>`, as one small integer inside the generator: ref =
 * sequence * 4 + source index, where the sequence counts that source's interactions in creation
 * order (vendor ids grow with time). The writer rebuilds the strings in SQL from the same formula,
 * so millions of id strings never cross from JavaScript into DuckDB one by one.
 * The JavaScript and SQL versions below must stay identical; the tests check that every event,
 * routing decision and truth row points at an existing interaction.
 */
export const interactionSources = ['intercom', 'zendesk', 'aircall', 'helpcenter'] as const;

export function interactionRef(sourceIndex: number, sequence: number): number {
  return sequence * 4 + sourceIndex;
}

export function sourceOfRef(ref: number): string {
  return interactionSources[ref % 4];
}

export function nativeIdOf(ref: number): string {
  const seq = Math.floor(ref / 4);
  switch (ref % 4) {
    case 0: return String(215_000_000_000 + seq * 3);
    case 1: return String(1_204_000 + seq);
    case 2: return String(2_100_000_000 + seq * 2);
    // Help-center sessions get opaque ids: a 32-bit multiplicative hash (a bijection) in hex.
    default: return 'ses_' + (Math.imul(seq + 4099, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
  }
}

export function interactionIdOf(ref: number): string {
  return `${sourceOfRef(ref)}:${nativeIdOf(ref)}`;
}

/** SQL for the native id of an INTEGER ref column. */
export function nativeIdSql(ref: string): string {
  const seq = `(${ref} // 4)`;
  return `CASE ${ref} % 4 WHEN 0 THEN (215000000000 + ${seq} * 3)::VARCHAR WHEN 1 THEN (1204000 + ${seq})::VARCHAR `
    + `WHEN 2 THEN (2100000000 + ${seq}::BIGINT * 2)::VARCHAR ELSE 'ses_' || lpad(lower(hex(((${seq} + 4099)::UBIGINT * 2654435761) % 4294967296)), 8, '0') END`;
}

/** SQL for the source name of an INTEGER ref column. */
export function sourceSql(ref: string): string {
  return `(['intercom', 'zendesk', 'aircall', 'helpcenter'])[${ref} % 4 + 1]`;
}

/** SQL for the full interaction id of an INTEGER ref column. */
export function interactionIdSql(ref: string): string {
  return `${sourceSql(ref)} || ':' || ${nativeIdSql(ref)}`;
}
