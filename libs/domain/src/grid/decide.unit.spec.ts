import { type GridEstablishment, type GridEvent, gridDecider, gridUnitsOn } from '@registry/domain';
import { DeciderSpecification } from '../../test/decider-specification';

const spec = DeciderSpecification.for(gridDecider);
// 龙文区: an industry grid led by a five-star branch (网格联建).
const gridId = '0190a6a2-0000-7000-8000-00000000b001';
const lead = '0190a6a2-0000-7000-8000-000000000010';
const [u1, u2, u3] = [
  '0190a6a2-0000-7000-8000-0000000000c1',
  '0190a6a2-0000-7000-8000-0000000000c2',
  '0190a6a2-0000-7000-8000-0000000000c3',
];
const establishment: GridEstablishment = {
  gridId,
  name: '龙文区电子信息产业网格',
  regionCode: '350603',
  leadOrgId: lead,
  unitIds: [u1, u2],
  establishedOn: '2024-03-01',
};
const establish = {
  type: 'EstablishGrid' as const,
  data: {
    ...establishment,
    lead: 'active' as const,
    leadRating: { year: 2023, stars: 5 },
    units: ['operating' as const, 'operating' as const],
  },
};
const established: GridEvent = { type: 'GridEstablished', data: establishment };
const join = {
  type: 'JoinGrid' as const,
  data: { gridId, unitId: u3, effectiveOn: '2024-05-01', unit: 'operating' as const },
};
const joined: GridEvent = { type: 'GridUnitJoined', data: { gridId, unitId: u3, effectiveOn: '2024-05-01' } };
const leave = { type: 'LeaveGrid' as const, data: { gridId, unitId: u1, effectiveOn: '2024-06-01' } };
const left: GridEvent = { type: 'GridUnitLeft', data: { gridId, unitId: u1, effectiveOn: '2024-06-01' } };

describe('EstablishGrid (网格联建)', () => {
  it('establishes a grid under a lead rated four stars or more', () =>
    spec.given([]).when(establish).then([established]));
  it('refuses a lead whose latest rating has fewer than four stars', () =>
    spec
      .given([])
      .when({ ...establish, data: { ...establish.data, leadRating: { year: 2023, stars: 3 } } })
      .thenThrows('grid-lead-not-exemplary', 'leadOrgId'));
  it('refuses a lead never rated', () =>
    spec
      .given([])
      .when({ ...establish, data: { ...establish.data, leadRating: null } })
      .thenThrows('grid-lead-not-exemplary', 'leadOrgId'));
  it('refuses a dissolved lead and a closed unit, naming the field', () => {
    spec
      .given([])
      .when({ ...establish, data: { ...establish.data, lead: 'dissolved' } })
      .thenThrows('organization-dissolved', 'leadOrgId');
    spec
      .given([])
      .when({ ...establish, data: { ...establish.data, units: ['operating', 'closed'] } })
      .thenThrows('unit-closed', 'unitIds[1]');
  });
  it('does nothing on a retry, and refuses another grid under the same id', () => {
    spec.given([established]).when(establish).thenNothingHappened();
    spec
      .given([established])
      .when({ ...establish, data: { ...establish.data, name: '另一个网格' } })
      .thenThrows('grid-already-exists');
  });
});

describe('JoinGrid', () => {
  it('adds a unit from a date', () => spec.given([established]).when(join).then([joined]));
  it('refuses a unit already in the grid, and a date before the grid', () => {
    spec
      .given([established])
      .when({ ...join, data: { ...join.data, unitId: u1 } })
      .thenThrows('unit-already-in-grid', 'unitId');
    spec
      .given([established])
      .when({ ...join, data: { ...join.data, effectiveOn: '2024-01-01' } })
      .thenThrows('date-before-establishment', 'effectiveOn');
  });
  it('refuses an unknown grid', () => spec.given([]).when(join).thenThrows('grid-not-found'));
  it('does nothing on a retry', () => spec.given([established, joined]).when(join).thenNothingHappened());
  it('lets a unit that left join again, not before it left', () => {
    const again = { ...join, data: { ...join.data, unitId: u1, effectiveOn: '2024-06-20' } };
    spec
      .given([established, left])
      .when(again)
      .then([{ type: 'GridUnitJoined', data: { gridId, unitId: u1, effectiveOn: '2024-06-20' } }]);
    spec
      .given([established, left])
      .when({ ...again, data: { ...again.data, effectiveOn: '2024-05-20' } })
      .thenThrows('date-before-leaving', 'effectiveOn');
  });
});

describe('LeaveGrid', () => {
  it('takes a unit out from a date', () => spec.given([established]).when(leave).then([left]));
  it('refuses a unit not in the grid, and a date before it joined', () => {
    spec
      .given([established])
      .when({ ...leave, data: { ...leave.data, unitId: u3 } })
      .thenThrows('unit-not-in-grid', 'unitId');
    spec
      .given([established])
      .when({ ...leave, data: { ...leave.data, effectiveOn: '2024-03-01' } })
      .thenThrows('date-before-joining', 'effectiveOn');
  });
  it('does nothing on a retry', () => spec.given([established, left]).when(leave).thenNothingHappened());
});

describe('the units of a grid on a date', () => {
  it('counts each period from joining up to, not including, leaving', () => {
    const periods = [
      { unitId: u1, from: '2025-03-01', to: '2025-09-01' },
      { unitId: u2, from: '2025-03-01', to: null },
      { unitId: u3, from: '2025-05-01', to: null },
    ];
    expect(gridUnitsOn(periods, '2025-04-01')).toEqual([u1, u2]);
    expect(gridUnitsOn(periods, '2025-09-01')).toEqual([u2, u3]);
  });
});
