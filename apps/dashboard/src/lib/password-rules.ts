/** Shared by the server's check and the forms' hints (NIST SP 800-63B: length, no composition rules). */
export const minPasswordLength = 10;
