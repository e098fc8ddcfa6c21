import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { routesDir } from './paths.ts';

/** Every page route id of the app (directories under src/routes holding a +page file). */
export function pageRouteIds(): string[] {
  const ids: string[] = [];
  const visit = (dir: string) => {
    const files = readdirSync(dir);
    if (files.some((f) => /^\+page(\.server)?\.(ts|svelte)$/.test(f))) ids.push('/' + relative(routesDir, dir).split(/[\\/]/).filter(Boolean).join('/'));
    for (const f of files) if (statSync(join(dir, f)).isDirectory()) visit(join(dir, f));
  };
  if (!existsSync(routesDir)) throw new Error(`no routes at ${routesDir}`);
  visit(routesDir);
  return ids.sort();
}

/** A concrete address for a route id: each [param] gets a sample value. */
export function samplePath(routeId: string, samples: Record<string, string>): string {
  return routeId.replace(/\[(\w+)\]/g, (_, name: string) => encodeURIComponent(samples[name] ?? 'x'));
}
