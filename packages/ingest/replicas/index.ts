export { startReplica, type Replica, type TransportFaults, type VendorBehaviour, type ReplicaRequest, type ReplicaResponse } from './replica-server.ts';
export { zendeskWorld, type ZendeskWorld, type DataFaults } from './zendesk-world.ts';
export { zendeskBehaviour } from './zendesk-replica.ts';
export { prng } from './prng.ts';
export { hubspotWorld, type HubSpotWorld } from './hubspot-world.ts';
export { hubspotBehaviour } from './hubspot-replica.ts';
export { aircallWorld, type AircallWorld } from './aircall-world.ts';
export { aircallBehaviour } from './aircall-replica.ts';
