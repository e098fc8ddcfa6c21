import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    adapter: adapter(),
    // The CLI (src/cli) lives beside the app but is not part of it; Kit only looks at these.
    files: { lib: 'src/lib', routes: 'src/routes' },
  },
};

export default config;
