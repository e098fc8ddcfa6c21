// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    /** What an error page shows: one line for a person, never a stack trace. */
    interface Error {
      message: string;
    }
  }
}

export {};
