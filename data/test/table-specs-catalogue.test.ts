import { describe, expect, it } from 'vitest';
import { canonicalCatalogue } from '@helpdesk/core';
import { Staff } from '../src/agents-and-queues.ts';
import { agentColumns, queueColumns, stagedTables, teamColumns } from '../src/table-specs.ts';

const catalogued = (table: keyof typeof canonicalCatalogue) => Object.keys(canonicalCatalogue[table].columns);

describe("the direct writer's table specs against core's catalogue of the canonical model", () => {
  it('write every catalogued column of each canonical table it fills, in the table\'s order', () => {
    const specs = stagedTables(new Staff(1, 100));
    expect(specs.interactions.select.map(([column]) => column)).toEqual(catalogued('interactions'));
    expect(specs.events.select.map(([column]) => column)).toEqual(catalogued('events'));
    expect(specs.identities.select.map(([column]) => column)).toEqual(catalogued('identities'));
    expect(specs.customerAttributes.select.map(([column]) => column)).toEqual(catalogued('customer_attributes'));
    expect(teamColumns.map((c) => c.name)).toEqual(catalogued('teams'));
    expect(agentColumns().map((c) => c.name)).toEqual(catalogued('agents'));
    expect(queueColumns().map((c) => c.name)).toEqual(catalogued('queues'));
  });
});
