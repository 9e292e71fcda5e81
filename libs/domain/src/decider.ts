import type { RuleSettings } from './rule-settings';

/** Who acts and when: passed in with every command, never read from a clock inside the domain. */
export interface CommandContext {
  /** The business date of "today" (YYYY-MM-DD), for rules such as "not in the future". */
  readonly today: string;
  readonly actor: string;
  /** The operator's settings; absent: the defaults of DOMAIN.md. */
  readonly rules?: RuleSettings;
}

export type Command<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;
export type Event<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;

export interface Decider<C, E, S> {
  decide(command: C, state: S, context: CommandContext): readonly E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

/**
 * A domain rule refused the command. `rule` is a stable kebab-case name (the HTTP layer turns it
 * into the problem `type` of a 409); `field` names the input at fault where there is one.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly rule: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function refuse(rule: string, message: string, field?: string): never {
  throw new DomainError(rule, message, field);
}

/** Business dates may not lie after the command's "today". */
export function notInFuture(date: string, context: CommandContext, field: string): void {
  if (date > context.today) refuse('date-in-future', `${field} ${date} is after today (${context.today})`, field);
}

/** Folds a stream's events into state. */
export function fold<E, S>(decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>, events: readonly E[]): S {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

/** Equal as facts: same fields and values at every depth, whatever the key order; absent ≡ undefined. */
export function sameFacts(a: unknown, b: unknown): boolean {
  const normal = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(normal);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
        .map(([key, member]) => [key, normal(member)]),
    );
  };
  return JSON.stringify(normal(a)) === JSON.stringify(normal(b));
}
