import { unitDecider, type UnitEvent, type UnitRegistration } from '@registry/domain';
import { DeciderSpecification } from '../../test/decider-specification';

const spec = DeciderSpecification.for(unitDecider);
const ciscoRnd: UnitRegistration = {
  unitId: '0190a6a2-7c1e-7a3b-9c2d-000000000001',
  name: '思科（中国）研发中心',
  creditCode: '91350100M000100Y43',
  kind: 'enterprise',
  regionCode: '310104',
  industry: 'information-technology',
  buildingId: 'xuhui-building-7',
  employeeCount: 1200,
  registeredOn: '2019-03-01',
};
const registered: UnitEvent = { type: 'UnitRegistered', data: ciscoRnd };
const unitId = ciscoRnd.unitId;

describe('RegisterUnit', () => {
  it('registers a new unit', () => spec.given([]).when({ type: 'RegisterUnit', data: ciscoRnd }).then([registered]));
  it('refuses a second, different registration', () =>
    spec
      .given([registered])
      .when({ type: 'RegisterUnit', data: { ...ciscoRnd, name: '另一家企业' } })
      .thenThrows('unit-already-registered'));
  it('does nothing when the same registration is retried', () =>
    spec.given([registered]).when({ type: 'RegisterUnit', data: ciscoRnd }).thenNothingHappened());
  it('refuses a registration dated after today', () =>
    spec
      .given([])
      .when({ type: 'RegisterUnit', data: { ...ciscoRnd, registeredOn: '2030-01-01' } })
      .thenThrows('date-in-future', 'registeredOn'));
});

describe('AssignInstructor', () => {
  const assign = { type: 'AssignInstructor' as const, data: { unitId, name: '王指导员', assignedOn: '2020-05-01' } };
  const assigned: UnitEvent = {
    type: 'InstructorAssigned',
    data: { unitId, name: '王指导员', effectiveOn: '2020-05-01' },
  };
  it('assigns a party-building instructor', () => spec.given([registered]).when(assign).then([assigned]));
  it('refuses an unknown unit', () => spec.given([]).when(assign).thenThrows('unit-not-found'));
  it('refuses a date before the registration', () =>
    spec
      .given([registered])
      .when({ ...assign, data: { ...assign.data, assignedOn: '2018-01-01' } })
      .thenThrows('date-before-registration', 'assignedOn'));
  it('does nothing when the instructor is already assigned', () =>
    spec.given([registered, assigned]).when(assign).thenNothingHappened());
});

describe('CloseUnit', () => {
  const close = { type: 'CloseUnit' as const, data: { unitId, effectiveOn: '2023-12-31' } };
  const closed: UnitEvent = { type: 'UnitClosed', data: { unitId, effectiveOn: '2023-12-31' } };
  it('closes an operating unit', () => spec.given([registered]).when(close).then([closed]));
  it('refuses to close it again on another date', () =>
    spec
      .given([registered, closed])
      .when({ ...close, data: { unitId, effectiveOn: '2024-01-31' } })
      .thenThrows('unit-closed'));
  it('does nothing when the same closing is retried', () =>
    spec.given([registered, closed]).when(close).thenNothingHappened());
  it('refuses instructors for a closed unit', () =>
    spec
      .given([registered, closed])
      .when({ type: 'AssignInstructor', data: { unitId, name: '李', assignedOn: '2024-01-05' } })
      .thenThrows('unit-closed'));
});

describe('WithdrawInstructor', () => {
  const assigned: UnitEvent = {
    type: 'InstructorAssigned',
    data: { unitId, name: '王指导员', effectiveOn: '2020-05-01' },
  };
  const withdraw = { type: 'WithdrawInstructor' as const, data: { unitId, effectiveOn: '2023-06-01' } };
  const withdrawn: UnitEvent = { type: 'InstructorWithdrawn', data: { unitId, effectiveOn: '2023-06-01' } };
  it('ends the work with the unit', () => spec.given([registered, assigned]).when(withdraw).then([withdrawn]));
  it('refuses a unit no instructor works with', () =>
    spec.given([registered]).when(withdraw).thenThrows('no-instructor'));
  it('refuses a withdrawal on or before the assignment', () =>
    spec
      .given([registered, assigned])
      .when({ ...withdraw, data: { unitId, effectiveOn: '2020-05-01' } })
      .thenThrows('date-before-assignment', 'effectiveOn'));
  it('does nothing on a retry', () =>
    spec.given([registered, assigned, withdrawn]).when(withdraw).thenNothingHappened());
  it('lets an instructor be assigned again after a withdrawal', () =>
    spec
      .given([registered, assigned, withdrawn])
      .when({ type: 'AssignInstructor', data: { unitId, name: '王指导员', assignedOn: '2024-01-01' } })
      .then([{ type: 'InstructorAssigned', data: { unitId, name: '王指导员', effectiveOn: '2024-01-01' } }]));
});
