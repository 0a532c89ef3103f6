/**
 * The state behind a delta query, for users and for groups alike: a token names the change sequence number its
 * deltaLink continues from (https://learn.microsoft.com/graph/delta-query-overview), and a round in progress holds
 * the items still to page through. `selection` is what the round's $select asked for (a users or a groups one).
 * `expired`: how an expired token or round answers (400 syncStateNotFound or 410 Gone, see graph-routes.ts).
 */
export type DeltaExpiry = 400 | 410;

export interface DeltaToken<S> {
  readonly seq: number;
  readonly selection: S;
  expired: DeltaExpiry | null;
}

export interface DeltaRound<S> {
  readonly items: readonly Record<string, unknown>[];
  /** Sequence number the round's deltaLink continues from. */
  readonly deltaSeq: number;
  readonly selection: S;
  expired: DeltaExpiry | null;
  /** Its paging links answer 400 Directory_ExpiredPageToken (expirePageTokens). */
  pageTokensExpired?: boolean;
}

/** The tokens and rounds as a snapshot holds them: plain copies, `copy` copying a selection. */
export function snapshotDeltaState<S, C>(
  tokens: ReadonlyMap<string, DeltaToken<S>>,
  rounds: ReadonlyMap<string, DeltaRound<S>>,
  copy: (selection: S) => C,
) {
  return {
    deltaTokens: [...tokens].map(([token, t]): [string, { seq: number; selection: C; expired: DeltaExpiry | null }] => [
      token,
      { seq: t.seq, selection: copy(t.selection), expired: t.expired },
    ]),
    deltaRounds: [...rounds].map(
      ([id, r]): [
        string,
        { items: Record<string, unknown>[]; deltaSeq: number; selection: C; expired: DeltaExpiry | null; pageTokensExpired?: true },
      ] => [
        id,
        {
          items: [...r.items],
          deltaSeq: r.deltaSeq,
          selection: copy(r.selection),
          expired: r.expired,
          ...(r.pageTokensExpired === true ? { pageTokensExpired: true as const } : {}),
        },
      ],
    ),
  };
}
