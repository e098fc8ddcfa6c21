// Rewrites the permission matrix in apps/dashboard/README.md from src/lib/server/auth/permissions.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { matrixEnd, matrixStart, permissionMatrixMarkdown } from '../src/lib/server/auth/permission-docs.ts';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const text = readFileSync(readme, 'utf8');
const start = text.indexOf(matrixStart);
const end = text.indexOf(matrixEnd);
if (start < 0 || end < start) throw new Error(`${readme} has no permission-matrix markers`);
writeFileSync(readme, text.slice(0, start) + permissionMatrixMarkdown() + text.slice(end + matrixEnd.length));
console.log(`updated the permission matrix in ${readme}`);
