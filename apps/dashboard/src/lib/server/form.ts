import { error } from '@sveltejs/kit';

/**
 * The posted form, or a 400 with one line when the body cannot be parsed (a truncated multipart
 * body, a wrong boundary): hostile or broken input is the client's error, never a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    error(400, { message: 'The form could not be read; send it again.' });
  }
}
