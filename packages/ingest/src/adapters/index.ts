import type { Adapter } from '../framework/adapter.ts';
import { IngestError } from '../framework/errors.ts';
import { aircallAdapter } from './aircall/index.ts';
import { csvAdapter } from './csv/index.ts';
import { hubspotAdapter } from './hubspot/index.ts';
import { intercomAdapter } from './intercom/index.ts';
import { salesforceAdapter } from './salesforce/index.ts';
import { servicenowAdapter } from './servicenow/index.ts';
import { twcsAdapter } from './twcs/index.ts';
import { twilioAdapter } from './twilio/index.ts';
import { zendeskAdapter } from './zendesk/index.ts';

/** Every adapter, by name. */
export const adapters: Record<string, Adapter> = { zendesk: zendeskAdapter, hubspot: hubspotAdapter, aircall: aircallAdapter, intercom: intercomAdapter, servicenow: servicenowAdapter, twcs: twcsAdapter, csv: csvAdapter, salesforce: salesforceAdapter, twilio: twilioAdapter };

export function adapterByName(name: string): Adapter {
  const adapter = adapters[name];
  if (!adapter) throw new IngestError(`unknown source "${name}"; known: ${Object.keys(adapters).join(', ')}`, 'options');
  return adapter;
}
