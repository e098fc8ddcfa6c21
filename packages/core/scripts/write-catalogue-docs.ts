// `npm run docs:catalogue -w packages/core`: rewrites the tables section of packages/core/README.md
// (between the canonical-catalogue markers) from src/canonical-catalogue.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { catalogueMarkdown } from '../src/canonical-catalogue.ts';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const start = readme.indexOf('<!-- canonical-catalogue:start');
const end = readme.indexOf('<!-- canonical-catalogue:end -->');
if (start < 0 || end < start) throw new Error('README.md has no canonical-catalogue markers');
const head = readme.indexOf('\n', start) + 1;
writeFileSync(path, readme.slice(0, head) + catalogueMarkdown() + readme.slice(end));
