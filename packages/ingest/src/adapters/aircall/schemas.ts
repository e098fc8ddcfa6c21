import { z } from 'zod';

/** Aircall Public API v1 records (see fixtures/vendor-api/aircall): epoch-second times, integer ids. */
const id = z.number().int().nonnegative();
const epoch = z.number().int().nonnegative();
export const AircallUserRef = z.looseObject({ id, name: z.string().nullish(), email: z.string().nullish() });

/** A contact of the address book (`contact.json`): what an agent saved for a caller. */
const entry = z.looseObject({ id: id.nullish(), label: z.string().nullish(), value: z.string().nullish() });
export const AircallContact = z.looseObject({
  id,
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone_numbers: z.array(entry).nullish(),
  emails: z.array(entry).nullish(),
});
export type AircallContact = z.infer<typeof AircallContact>;

export const AircallCall = z.looseObject({
  id,
  direction: z.enum(['inbound', 'outbound']),
  status: z.string(),
  missed_call_reason: z.string().nullish(),
  started_at: epoch,
  answered_at: epoch.nullish(),
  ended_at: epoch.nullish(),
  duration: z.number().nullish(),
  raw_digits: z.string().nullish(),
  voicemail: z.string().nullish(),
  user: AircallUserRef.nullish(),
  /** The saved contact Aircall matched the number to, or the agent linked the call to; null for an unknown caller. */
  contact: AircallContact.nullish(),
  number: z.looseObject({ id, name: z.string().nullish(), digits: z.string().nullish() }).nullish(),
  transferred_by: AircallUserRef.nullish(),
  transferred_to: AircallUserRef.nullish(),
  tags: z.array(z.looseObject({ id: id.nullish(), name: z.string() })).nullish(),
  comments: z.array(z.looseObject({ id, content: z.string().nullish(), posted_at: epoch, posted_by: AircallUserRef.nullish() })).nullish(),
  /**
   * Not part of the REST Call object: IVR exit, hold, unhold and transfer moments come from
   * Aircall's webhook events (call.ivr_option_selected, call.hold, call.unhold, call.transferred). A
   * recorded folder or the replica may carry them here as `{ event, timestamp }`; without them hold
   * time is unknown (NULL), never zero.
   */
  timeline: z.array(z.looseObject({ event: z.string(), timestamp: epoch })).nullish(),
});
export type AircallCall = z.infer<typeof AircallCall>;

export const AircallUser = z.looseObject({
  id,
  name: z.string(),
  email: z.string().nullish(),
  available: z.boolean().nullish(),
  time_zone: z.string().nullish(),
  language: z.string().nullish(),
  created_at: z.string().nullish(),
});
export type AircallUser = z.infer<typeof AircallUser>;

export const AircallTeam = z.looseObject({ id, name: z.string(), created_at: z.string().nullish(), users: z.array(AircallUserRef).nullish() });
export type AircallTeam = z.infer<typeof AircallTeam>;
