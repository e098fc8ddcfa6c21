// Stands in for SvelteKit's `$env/dynamic/private` in vitest: the process environment, read live.
export const env: Record<string, string | undefined> = process.env;
