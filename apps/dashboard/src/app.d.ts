// See https://svelte.dev/docs/kit/types#app.d.ts
import type { User } from '$lib/server/auth/users';
import type { ApiToken } from '$lib/server/api/tokens';

declare global {
  namespace App {
    /** What an error page shows: one line for a person, never a stack trace. */
    interface Error {
      message: string;
    }
    interface Locals {
      /** The signed-in user; hooks.server.ts has already checked the route's rule for them. */
      user: User | null;
      /** The API token of an /api/v1 call made with one (the user is then its owner). */
      apiToken?: ApiToken | null;
    }
  }
}

export {};
