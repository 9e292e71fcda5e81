import { unitDecider, type UnitRegistration } from '@registry/domain';
import { DeciderSpecification } from './decider-specification';

// The helper must fail when the decider does something else than the test says.
const spec = DeciderSpecification.for(unitDecider);
const registration: UnitRegistration = {
  unitId: 'u-1',
  name: '小微企业甲',
  creditCode: '91512081MA62K0260E',
  kind: 'enterprise',
  regionCode: '310104',
  industry: 'retail',
  registeredOn: '2020-01-01',
};
const register = { type: 'RegisterUnit' as const, data: registration };

describe('DeciderSpecification', () => {
  it('fails `then` when other events are emitted', () => {
    expect(() => spec.given([]).when(register).then([])).toThrow();
  });
  it('fails `thenNothingHappened` when events are emitted', () => {
    expect(() => spec.given([]).when(register).thenNothingHappened()).toThrow();
  });
  it('fails `thenThrows` when nothing is refused, or another rule is', () => {
    expect(() => spec.given([]).when(register).thenThrows('unit-already-registered')).toThrow();
    const differently = { ...register, data: { ...registration, name: '乙' } };
    expect(() =>
      spec
        .given([{ type: 'UnitRegistered', data: registration }])
        .when(differently)
        .thenThrows('unit-closed'),
    ).toThrow();
  });
});
