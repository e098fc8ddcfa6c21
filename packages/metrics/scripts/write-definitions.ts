import { readFileSync, writeFileSync } from 'node:fs';
import { definitionsMarkdown, readmeWithDefinitions } from '../src/definitions.ts';

// Rewrites the generated KPI table of the metrics README from the registry.
const path = new URL('../README.md', import.meta.url);
writeFileSync(path, readmeWithDefinitions(readFileSync(path, 'utf8'), definitionsMarkdown()));
