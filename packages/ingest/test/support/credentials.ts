/** Test credentials the replicas accept (not secrets: they only open loopback replicas). */
export const credentials = {
  zendesk: { email: 'agent@replica.example', apiToken: 'replica-token' },
  hubspot: { accessToken: 'replica-hubspot-token' },
  aircall: { apiId: 'replica-id', apiToken: 'replica-aircall-token' },
  intercom: { accessToken: 'replica-intercom-token' },
};
export const credentialsOf = (vendor: string): Record<string, string> => (credentials as Record<string, Record<string, string>>)[vendor];
