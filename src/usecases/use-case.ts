/**
 * A use case: one operation an entry point may ask for, with the input it accepts (a zod schema: whatever arrives
 * is `unknown` until it is parsed), who may call it, and what it does. A use case knows no entry point and no Forge
 * API; a boundary adapter per kind of entry point (src/functions/boundary/) builds the deps, establishes the caller
 * the use case's access asks for, parses the input, runs it and maps errors, the same way for every use case.
 */
import type { z } from 'zod';

/**
 * Who may call a use case (the key), and what the boundary knows about the caller once it has let them in (the
 * value). Each boundary decides how it checks the kinds it serves, and serves no other: the resolver asks Jira, as
 * the user, whether they are a Jira administrator; a scheduled trigger is invoked by Forge alone (manifest.yml).
 * Automation actions and a Rovo agent (issue 15) add their kinds here (e.g. 'automation-rule', 'rovo-user') with the
 * boundaries that check them; an existing use case opts in by naming the new kind in its access.
 */
export interface CallerByAccess {
  /** A Jira administrator on the admin page, confirmed per call (src/services/admin-check.ts). */
  readonly 'jira-admin': { readonly kind: 'jira-admin'; readonly accountId: string };
  /** The app itself on a scheduled trigger: there is no user. */
  readonly 'scheduled-trigger': { readonly kind: 'scheduled-trigger' };
  /**
   * A Jira Automation rule running one of the app's actions (src/functions/boundary/action-boundary.ts). Whether Forge
   * names the rule's actor is not documented (docs/platform-assumptions.md R1): `accountId` is null when it does not.
   * The actions read the directory as the app; whoever may edit a rule may use them.
   */
  readonly 'automation-rule': { readonly kind: 'automation-rule'; readonly accountId: string | null };
  /**
   * A person asking the Rovo Directory assistant: `accountId` is the invocation's user. The actions read Assets as
   * that user (asUser), so they show no more than the user may see in Assets.
   */
  readonly 'rovo-user': { readonly kind: 'rovo-user'; readonly accountId: string };
}

export type Access = keyof CallerByAccess;
export type Caller<A extends Access = Access> = CallerByAccess[A];

/** A use case bound to input that parsed: what is left is to run it as the caller. */
export type PreparedRun<D, A extends Access> = (deps: D, caller: Caller<A>) => Promise<unknown>;

/**
 * A use case as a boundary or a table holds it: its input type stays inside (prepare parses and binds), so use cases
 * of different inputs sit in one table. A use case needing deps D fits any boundary whose deps include D.
 */
export interface EntryUseCase<D, A extends Access> {
  /** The operation's stable name (for the admin page's use cases, its resolver key); logged with error codes. */
  readonly name: string;
  readonly access: A;
  /** Parses raw input; null when it is not of the use case's shape. */
  readonly prepare: (raw: unknown) => PreparedRun<D, A> | null;
}

export interface UseCase<D, I, O, A extends Access> extends EntryUseCase<D, A> {
  readonly input: z.ZodType<I>;
  readonly run: (deps: D, input: I, caller: Caller<A>) => Promise<O>;
}

export interface UseCaseSpec<D, I, O, A extends Access> {
  readonly name: string;
  readonly input: z.ZodType<I>;
  readonly access: A;
  readonly run: (deps: D, input: I, caller: Caller<A>) => Promise<O>;
}

export function defineUseCase<D, I, O, A extends Access>(spec: UseCaseSpec<D, I, O, A>): UseCase<D, I, O, A> {
  return {
    name: spec.name,
    access: spec.access,
    input: spec.input,
    run: spec.run,
    prepare: (raw) => {
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) return null;
      const input = parsed.data;
      return (deps, caller) => spec.run(deps, input, caller);
    },
  };
}
