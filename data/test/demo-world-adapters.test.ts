import { demoWorldProperties } from './demo-world-properties.ts';

/** The same properties when chats come in through the real Intercom adapter (see README, "Two ways in"). */
demoWorldProperties('adapters');
