/** Test credentials the replicas accept (not secrets: they only open loopback replicas). */
export const credentials = {
  zendesk: { email: 'agent@replica.example', apiToken: 'replica-token' },
  hubspot: { accessToken: 'replica-hubspot-token' },
  aircall: { apiId: 'replica-id', apiToken: 'replica-aircall-token' },
  intercom: { accessToken: 'replica-intercom-token' },
  salesforce: { accessToken: 'replica-salesforce-token' },
  twilio: { accountSid: 'AC00000000000000000000000001234567', authToken: 'replica-twilio-token', workspaceSid: 'WS00000000000000000000000001234567' },
};
export const credentialsOf = (vendor: string): Record<string, string> => (credentials as Record<string, Record<string, string>>)[vendor];
