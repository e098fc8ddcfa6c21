import { z } from 'zod';
import { isTimestamp } from '../../framework/time.ts';

/** Twilio's REST API (2010-04-01) dates are RFC 2822 (`Fri, 18 Oct 2019 17:02:00 +0000`); TaskRouter's are ISO 8601. */
const ts = z.string().refine(isTimestamp, 'expected a timestamp with a UTC offset');
const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `expected a ${prefix}... sid`);
/** Counts and money arrive as strings (`"duration": "4"`, `"queue_time": "1000"`), empty while a call is live. */
const numericText = z.union([z.string().regex(/^-?\d*(\.\d+)?$/, 'expected a number as text'), z.number()]).nullish();

/** A Call resource (a parent call, or a child leg of a `<Dial>` with `parent_call_sid`). */
export const TwilioCall = z.looseObject({
  sid: sid('CA'),
  parent_call_sid: sid('CA').nullish(),
  account_sid: sid('AC').nullish(),
  /** inbound | outbound-api | outbound-dial | trunking-terminating | trunking-originating */
  direction: z.string(),
  /** queued | ringing | in-progress | completed | busy | failed | no-answer | canceled */
  status: z.string(),
  from: z.string().nullish(),
  to: z.string().nullish(),
  start_time: ts.nullish(),
  end_time: ts.nullish(),
  date_created: ts.nullish(),
  date_updated: ts,
  duration: numericText,
  /** Milliseconds the call waited before it was placed (Twilio's own queue, not a contact-centre queue). */
  queue_time: numericText,
  answered_by: z.string().nullish(),
  phone_number_sid: z.string().nullish(),
  price: z.union([z.string(), z.number()]).nullish(),
});
export type TwilioCall = z.infer<typeof TwilioCall>;

/** A TaskRouter Event (`GET /v1/Workspaces/{ws}/Events`): `event_data` is a flat map of strings. */
export const TaskRouterEvent = z.looseObject({
  sid: sid('EV'),
  event_type: z.string(),
  event_date: ts,
  event_date_ms: z.number().nullish(),
  resource_sid: z.string().nullish(),
  resource_type: z.string().nullish(),
  description: z.string().nullish(),
  event_data: z.record(z.string(), z.unknown()).nullish(),
});
export type TaskRouterEvent = z.infer<typeof TaskRouterEvent>;

/** A TaskQueue (`GET /v1/Workspaces/{ws}/TaskQueues`). */
export const TaskQueue = z.looseObject({
  sid: sid('WQ'),
  friendly_name: z.string(),
  date_updated: ts,
  task_order: z.string().nullish(),
});
export type TaskQueue = z.infer<typeof TaskQueue>;
