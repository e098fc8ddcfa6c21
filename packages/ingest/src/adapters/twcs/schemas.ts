import { z } from 'zod';

/** One tweet of the Twitter customer-support format (Kaggle TWCS columns); other columns pass. */
export const TwcsTweet = z.looseObject({
  tweet_id: z.string().regex(/^\d+$/, 'expected a numeric tweet id'),
  author_id: z.string().min(1),
  inbound: z.enum(['True', 'False', 'true', 'false', 'TRUE', 'FALSE']),
  created_at: z.string().min(1),
  text: z.string(),
  /** Empty for a thread's first tweet. Some exports write ids as floats (`3.0`); the reader fixes that. */
  in_response_to_tweet_id: z.string().regex(/^(\d+)?$/, 'expected a tweet id or nothing'),
  _line: z.number().int().optional(),
});
export type TwcsTweet = z.infer<typeof TwcsTweet>;

/** One thread rebuilt from the reply graph: its root tweet and every tweet that hangs under it. */
export const TwcsThread = z.object({
  root: z.string().min(1),
  /** The root's parent is named but not in the file: the thread is only partly there. */
  partial: z.boolean(),
  tweets: z.array(TwcsTweet).min(1),
});
export type TwcsThread = z.infer<typeof TwcsThread>;
