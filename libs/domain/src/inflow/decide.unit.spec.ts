import { inflowDecider, type InflowEvent, type InflowRegistration } from '@registry/domain';
import { DeciderSpecification } from '../../test/decider-specification';

// TEST_CONTEXT.today is 2024-06-30.
const spec = DeciderSpecification.for(inflowDecider);
const inflowingMemberId = '0190a6a2-0000-7000-8000-00000000e001';
const xingangFlowingBranch = '0190a6a2-0000-7000-8000-00000000c003';
const registration: InflowRegistration = {
  inflowingMemberId,
  personal: { keyId: 'key-e001', ciphertext: 'sealed-name-id-phone-birthdate' },
  gender: 'male',
  home: { name: '湖南省汨罗市委组织部', regionCode: '430681' },
  hostOrgId: xingangFlowingBranch,
  since: '2023-03-01',
  occupation: 'technical-worker',
  certificateNo: 'LD-430681-0007',
};
const registered: InflowEvent = { type: 'InflowingMemberRegistered', data: registration };
const register = {
  type: 'RegisterInflowingMember' as const,
  data: { ...registration, host: 'active' as const, alreadyAMember: false },
};

describe('RegisterInflowingMember (流入党员)', () => {
  it('registers a member whose home organisation is outside the registry', () =>
    spec.given([]).when(register).then([registered]));
  it('refuses a member of this registry', () =>
    spec
      .given([])
      .when({ ...register, data: { ...register.data, alreadyAMember: true } })
      .thenThrows('already-a-member', 'idNumber'));
  it('refuses a dissolved host', () =>
    spec
      .given([])
      .when({ ...register, data: { ...register.data, host: 'dissolved' } })
      .thenThrows('organization-dissolved', 'hostOrgId'));
  it('refuses an arrival in the future', () =>
    spec
      .given([])
      .when({ ...register, data: { ...register.data, since: '2024-07-01' } })
      .thenThrows('date-in-future', 'since'));
  it('does nothing when the same registration is retried', () =>
    spec.given([registered]).when(register).thenNothingHappened());
});

describe('DepartInflow', () => {
  const depart = { type: 'DepartInflow' as const, data: { inflowingMemberId, effectiveOn: '2024-02-01' } };
  const departed: InflowEvent = { type: 'InflowingMemberDeparted', data: depart.data };
  it('ends the inflow', () => spec.given([registered]).when(depart).then([departed]));
  it('refuses a departure before the arrival', () =>
    spec
      .given([registered])
      .when({ ...depart, data: { inflowingMemberId, effectiveOn: '2023-01-01' } })
      .thenThrows('date-before-inflow', 'effectiveOn'));
  it('refuses an unknown inflowing member', () => spec.given([]).when(depart).thenThrows('inflowing-member-not-found'));
  it('does nothing when the same departure is retried', () =>
    spec.given([registered, departed]).when(depart).thenNothingHappened());
});

describe('ConvertInflow (a transfer in ends the inflow)', () => {
  const memberId = '0190a6a2-0000-7000-8000-00000000b777';
  const convert = { type: 'ConvertInflow' as const, data: { inflowingMemberId, memberId, effectiveOn: '2024-03-01' } };
  const converted: InflowEvent = { type: 'InflowingMemberConverted', data: convert.data };
  it('ends the inflow as converted to a member', () => spec.given([registered]).when(convert).then([converted]));
  it('refuses an inflow that already ended', () =>
    spec
      .given([registered, { type: 'InflowingMemberDeparted', data: { inflowingMemberId, effectiveOn: '2024-01-01' } }])
      .when(convert)
      .thenThrows('inflow-ended'));
  it('does nothing when the same conversion is retried', () =>
    spec.given([registered, converted]).when(convert).thenNothingHappened());
  it('ends on the arrival at the latest, when the registration is dated earlier', () =>
    spec
      .given([registered])
      .when({ ...convert, data: { ...convert.data, effectiveOn: '2022-01-01' } })
      .then([{ type: 'InflowingMemberConverted', data: { ...convert.data, effectiveOn: '2023-03-01' } }]));
});

describe('ForgetInflowPersonalData', () => {
  const forget = { type: 'ForgetInflowPersonalData' as const, data: { inflowingMemberId } };
  const forgotten: InflowEvent = { type: 'InflowingMemberPersonalDataForgotten', data: { inflowingMemberId } };
  it('records the forgetting', () => spec.given([registered]).when(forget).then([forgotten]));
  it('refuses an unknown inflowing member', () => spec.given([]).when(forget).thenThrows('inflowing-member-not-found'));
  it('does nothing a second time', () => spec.given([registered, forgotten]).when(forget).thenNothingHappened());
});
