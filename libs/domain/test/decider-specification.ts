import { type CommandContext, type Decider, DomainError, fold } from '../src/decider';

export const TEST_CONTEXT: CommandContext = { today: '2024-06-30', actor: 'registrar-xuhui' };

interface Then<E> {
  then(expected: readonly E[]): void;
  thenThrows(rule: string, field?: string): void;
  thenNothingHappened(): void;
}

/** given(events).when(command).then(events) | thenThrows(rule) | thenNothingHappened(), as in Emmett. */
export const DeciderSpecification = {
  for<C, E, S>(decider: Decider<C, E, S>, context: CommandContext = TEST_CONTEXT) {
    return {
      given(history: readonly E[]) {
        return {
          when(command: C): Then<E> {
            const run = (): readonly E[] => decider.decide(command, fold(decider, history), context);
            return {
              then: (expected) => expect(run()).toEqual(expected),
              thenThrows: (rule, field) => {
                let thrown: unknown;
                try {
                  run();
                } catch (error) {
                  thrown = error;
                }
                expect(thrown).toBeInstanceOf(DomainError);
                expect({ rule: (thrown as DomainError).rule, field: (thrown as DomainError).field }).toEqual({
                  rule,
                  field,
                });
              },
              thenNothingHappened: () => expect(run()).toEqual([]),
            };
          },
        };
      },
    };
  },
};
