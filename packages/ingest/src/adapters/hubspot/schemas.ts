import { z } from 'zod';
import { isTimestamp } from '../../framework/time.ts';

const ts = z.string().refine(isTimestamp, 'expected an ISO-8601 timestamp with an offset');
/** HubSpot sends every property value as a string (or null); anything else is refused. */
const properties = z.record(z.string(), z.string().nullable());
const HistoryEntry = z.looseObject({ value: z.string().nullable(), timestamp: ts, sourceType: z.string().nullish() });

/** A CRM v3 object (contact or company) as list, search and batch-read pages return it. */
export const HubSpotObject = z.looseObject({
  id: z.string().regex(/^\d+$/, 'expected a numeric id string'),
  properties,
  propertiesWithHistory: z.record(z.string(), z.array(HistoryEntry)).nullish(),
  createdAt: ts,
  updatedAt: ts,
  archived: z.boolean().nullish(),
});
export type HubSpotObject = z.infer<typeof HubSpotObject>;
