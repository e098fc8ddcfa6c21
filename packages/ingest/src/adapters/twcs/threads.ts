/** The fields thread rebuilding needs. */
export interface ReplyNode {
  tweet_id: string;
  in_response_to_tweet_id: string;
}

/**
 * Rebuilds threads from the reply graph: each tweet hangs under its parent when the parent is in
 * the set; a tweet whose parent is absent (or that has none) is a root. Returns, per root, the
 * tweets of its thread in input order. A reply cycle (impossible on Twitter, possible in a damaged
 * file) is cut at the tweet where it is found, which then counts as a root.
 *
 * @example
 * threadsOf([{ tweet_id: '1', in_response_to_tweet_id: '' }, { tweet_id: '2', in_response_to_tweet_id: '1' }])
 * // Map { '1' => [tweet 1, tweet 2] }
 */
export function threadsOf<T extends ReplyNode>(tweets: T[]): Map<string, T[]> {
  const byId = new Map(tweets.map((t) => [t.tweet_id, t]));
  const rootOf = new Map<string, string>();
  const find = (start: T): string => {
    const path: string[] = [];
    const onPath = new Set<string>();
    let current = start;
    for (;;) {
      const known = rootOf.get(current.tweet_id);
      if (known !== undefined) return settle(path, known);
      path.push(current.tweet_id);
      onPath.add(current.tweet_id);
      const parent = byId.get(current.in_response_to_tweet_id);
      if (!parent || onPath.has(parent.tweet_id)) return settle(path, current.tweet_id);
      current = parent;
    }
  };
  const settle = (path: string[], root: string) => {
    for (const id of path) rootOf.set(id, root);
    return root;
  };
  const threads = new Map<string, T[]>();
  for (const t of tweets) {
    const root = find(t);
    const list = threads.get(root);
    if (list) list.push(t);
    else threads.set(root, [t]);
  }
  return threads;
}
