/**
 * Which route ids are endpoints (`+server.ts`) rather than pages. Vite lists the files at build
 * time (nothing is imported), so a new endpoint is known without anyone editing this module.
 */
const endpointFiles = Object.keys(import.meta.glob('/src/routes/**/+server.ts'));

/** `/src/routes/qa/grade/[id]/draft/+server.ts` -> `/qa/grade/[id]/draft` */
export function routeIdOf(file: string): string {
  return file.replace(/^\/src\/routes/, '').replace(/\/\+server\.ts$/, '') || '/';
}

export function endpointRouteIds(): Set<string> {
  return new Set(endpointFiles.map(routeIdOf));
}
