// Serves a replica in its own process (the benchmark, `npm start` and manual tries use it):
//   node --import tsx packages/ingest/replicas/serve.ts zendesk-recorded <dir> [port]
//   node --import tsx packages/ingest/replicas/serve.ts <zendesk|hubspot|aircall|intercom|salesforce|twilio> <seed> <size> [port]
// Prints one line `replica <url>` when it listens; credentials are those of test/support/credentials.ts.
import { credentials } from '../test/support/credentials.ts';
import { aircallBehaviour, aircallWorld, hubspotBehaviour, hubspotWorld, salesforceBehaviour, salesforceWorld, startReplica, twilioBehaviour, twilioWorld, zendeskBehaviour, zendeskWorld } from './index.ts';
import { intercomBehaviour } from './intercom-replica.ts';
import { intercomWorld } from './intercom-world.ts';
import { recordedZendeskBehaviour } from './recorded-zendesk.ts';

const [kind, a, b, c] = process.argv.slice(2);
const behaviour =
  kind === 'zendesk-recorded' ? recordedZendeskBehaviour(a, credentials.zendesk)
  : kind === 'zendesk' ? zendeskBehaviour(zendeskWorld({ seed: Number(a), tickets: Number(b) }), credentials.zendesk)
  : kind === 'hubspot' ? hubspotBehaviour(hubspotWorld({ seed: Number(a), contacts: Number(b) }), credentials.hubspot)
  : kind === 'aircall' ? aircallBehaviour(aircallWorld({ seed: Number(a), calls: Number(b) }), credentials.aircall)
  : kind === 'intercom' ? intercomBehaviour(intercomWorld({ seed: Number(a), conversations: Number(b) }), credentials.intercom)
  : kind === 'salesforce' ? salesforceBehaviour(salesforceWorld({ seed: Number(a), contacts: Number(b) }), credentials.salesforce)
  : kind === 'twilio' ? twilioBehaviour(twilioWorld({ seed: Number(a), calls: Number(b), accountSid: credentials.twilio.accountSid, workspaceSid: credentials.twilio.workspaceSid }), credentials.twilio)
  : undefined;
if (!behaviour) {
  console.error('usage: serve.ts zendesk-recorded <dir> [port] | serve.ts <zendesk|hubspot|aircall|intercom|salesforce|twilio> <seed> <size> [port]');
  process.exit(2);
}
const port = Number(kind === 'zendesk-recorded' ? b : c) || 0;
const replica = await startReplica(behaviour, { port });
console.log(`replica ${replica.url}`);
