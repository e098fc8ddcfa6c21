import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `vite dev` listens on localhost unless told otherwise (`--host`): say so to the server code,
// which keeps the demo accounts only on the loopback. A built server learns it from HOST.
if (!process.argv.includes('--host') && !process.argv.includes('build')) process.env.HELPDESK_BIND_HOST ??= 'localhost';

export default defineConfig({
  plugins: [sveltekit()],
  ssr: {
    // DuckDB is a native addon (a .node file): bundling it breaks the build ("Unexpected character"),
    // so it stays an import resolved from node_modules at run time. It is in this app's
    // `dependencies`, which also makes adapter-node's second bundling pass leave it alone.
    external: ['@duckdb/node-api'],
    // Our workspace packages export TypeScript source, so they must be bundled, not imported.
    noExternal: [/^@helpdesk\//],
  },
  server: {
    // Dev only: let Vite serve files of the workspace packages outside this folder.
    fs: { allow: ['../..'] },
  },
});
