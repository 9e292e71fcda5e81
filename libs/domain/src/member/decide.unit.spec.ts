import { fold, memberDecider, type MemberEvent, type MemberRegistration } from '@registry/domain';
import { DeciderSpecification, TEST_CONTEXT } from '../../test/decider-specification';

// TEST_CONTEXT.today is 2024-06-30.
const spec = DeciderSpecification.for(memberDecider);
const memberId = '0190a6a2-0000-7000-8000-00000000b001';
const ciscoBranch = '0190a6a2-0000-7000-8000-00000000c001';
const gmBranch = '0190a6a2-0000-7000-8000-00000000c002';
const xingangHost = '0190a6a2-0000-7000-8000-00000000c003';
const registration: MemberRegistration = {
  memberId,
  personal: { keyId: 'key-b001', ciphertext: 'sealed-name-id-phone-birthdate' },
  gender: 'female',
  joinedOn: '2022-07-01',
  status: 'probationary',
  orgId: ciscoBranch,
  unitId: '0190a6a2-0000-7000-8000-0000000000a1',
  occupation: 'technical-worker',
  effectiveOn: '2022-07-01',
};
const registered: MemberEvent = { type: 'MemberRegistered', data: registration };
const full: MemberEvent[] = [registered, { type: 'MemberConfirmed', data: { memberId, effectiveOn: '2023-07-01' } }];

describe('RegisterMember', () => {
  const register = { type: 'RegisterMember' as const, data: { ...registration, organization: 'active' as const } };
  it('registers a probationary member with sealed personal data', () =>
    spec.given([]).when(register).then([registered]));
  it('refuses a dissolved organisation', () =>
    spec
      .given([])
      .when({ ...register, data: { ...register.data, organization: 'dissolved' } })
      .thenThrows('organization-dissolved', 'orgId'));
  it('refuses a relation that starts before admission', () =>
    spec
      .given([])
      .when({ ...register, data: { ...register.data, effectiveOn: '2022-06-30' } })
      .thenThrows('date-before-admission', 'effectiveOn'));
  it('does nothing when the same registration is retried', () =>
    spec.given([registered]).when(register).thenNothingHappened());
  it('refuses a different registration under the same id', () =>
    spec
      .given([registered])
      .when({ ...register, data: { ...register.data, orgId: gmBranch } })
      .thenThrows('member-already-registered'));
  it('refuses a full member admitted less than a year ago', () =>
    spec
      .given([])
      .when({
        ...register,
        data: { ...register.data, status: 'full', joinedOn: '2023-07-01', effectiveOn: '2024-01-01' },
      })
      .thenThrows('probation-not-ended', 'status'));
  it('registers a full member whose probation has ended', () => {
    const data = { ...registration, status: 'full' as const, joinedOn: '2023-06-30', effectiveOn: '2024-01-01' };
    spec
      .given([])
      .when({ ...register, data: { ...data, organization: 'active' } })
      .then([{ type: 'MemberRegistered', data }]);
  });
  it('registers a migrated full member with the confirmation date its records give', () => {
    const data = {
      ...registration,
      status: 'full' as const,
      joinedOn: '2023-09-01',
      effectiveOn: '2024-01-01',
      confirmedOn: '2024-06-01',
    };
    spec
      .given([])
      .when({ ...register, data: { ...data, organization: 'active' } })
      .then([{ type: 'MemberRegistered', data }]);
    expect(fold(memberDecider, [{ type: 'MemberRegistered', data }])).toMatchObject({ fullSince: '2024-06-01' });
  });
  it('refuses a confirmation date on a probationary registration', () =>
    spec
      .given([])
      .when({ ...register, data: { ...register.data, confirmedOn: '2023-07-01' } })
      .thenThrows('confirmed-member-not-full', 'confirmedOn'));
});

describe('ConfirmMember (转正)', () => {
  const confirm = { type: 'ConfirmMember' as const, data: { memberId, effectiveOn: '2023-07-01' } };
  it('confirms after a year of probation', () =>
    spec
      .given([registered])
      .when(confirm)
      .then([{ type: 'MemberConfirmed', data: { memberId, effectiveOn: '2023-07-01', fullSince: '2023-07-01' } }]));
  it('counts standing from the end of probation, not from the later meeting', () => {
    const late = { ...confirm, data: { memberId, effectiveOn: '2023-09-15' } };
    const events = memberDecider.decide(late, fold(memberDecider, [registered]), TEST_CONTEXT);
    expect(events).toEqual([
      { type: 'MemberConfirmed', data: { memberId, effectiveOn: '2023-09-15', fullSince: '2023-07-01' } },
    ]);
    expect(fold(memberDecider, [registered, ...events])).toMatchObject({ standing: 'full', fullSince: '2023-07-01' });
  });
  it('refuses before the year is over', () =>
    spec
      .given([registered])
      .when({ ...confirm, data: { memberId, effectiveOn: '2023-06-30' } })
      .thenThrows('probation-not-ended', 'effectiveOn'));
  it('does nothing when the same confirmation is retried', () => spec.given(full).when(confirm).thenNothingHappened());
  it('refuses an unknown member', () => spec.given([]).when(confirm).thenThrows('member-not-found'));
});

describe('probation: extension and annulment', () => {
  const extend = {
    type: 'ExtendProbation' as const,
    data: { memberId, months: 6, decidedOn: '2023-07-05', reason: '考察期表现需进一步考察' },
  };
  const extended: MemberEvent = { type: 'ProbationExtended', data: { ...extend.data, probationEndsOn: '2024-01-01' } };
  it('extends the probation once, by 6 to 12 months from its end', () =>
    spec.given([registered]).when(extend).then([extended]));
  it('refuses a second extension', () =>
    spec
      .given([registered, extended])
      .when({ ...extend, data: { ...extend.data, months: 12 } })
      .thenThrows('probation-already-extended'));
  it('refuses an extension outside 6 to 12 months', () =>
    spec
      .given([registered])
      .when({ ...extend, data: { ...extend.data, months: 13 } })
      .thenThrows('extension-out-of-range', 'months'));
  it('refuses to extend a full member', () => spec.given(full).when(extend).thenThrows('member-not-probationary'));
  it('does nothing when the same extension is retried', () =>
    spec.given([registered, extended]).when(extend).thenNothingHappened());
  it('confirms only after the extended end, and counts standing from it', () => {
    spec
      .given([registered, extended])
      .when({ type: 'ConfirmMember', data: { memberId, effectiveOn: '2023-12-31' } })
      .thenThrows('probation-not-ended', 'effectiveOn');
    spec
      .given([registered, extended])
      .when({ type: 'ConfirmMember', data: { memberId, effectiveOn: '2024-01-10' } })
      .then([{ type: 'MemberConfirmed', data: { memberId, effectiveOn: '2024-01-10', fullSince: '2024-01-01' } }]);
  });

  const annul = {
    type: 'AnnulProbation' as const,
    data: { memberId, decidedOn: '2023-07-10', reason: '不具备党员条件' },
  };
  const annulled: MemberEvent = { type: 'ProbationAnnulled', data: annul.data };
  it('annuls the probation, which ends the membership', () => {
    spec.given([registered]).when(annul).then([annulled]);
    expect(fold(memberDecider, [registered, annulled])).toMatchObject({
      status: 'left',
      left: { reason: 'probation-annulled', effectiveOn: '2023-07-10' },
    });
  });
  it('refuses to annul a full member', () => spec.given(full).when(annul).thenThrows('member-not-probationary'));
  it('does nothing when the same annulment is retried', () =>
    spec.given([registered, annulled]).when(annul).thenNothingHappened());
});

describe('suspension (停止党籍)', () => {
  const lost: MemberEvent = { type: 'MemberLostContact', data: { memberId, since: '2023-09-30' } };
  const suspend = { type: 'SuspendMember' as const, data: { memberId, decidedOn: '2024-03-31' } };
  const suspended: MemberEvent = { type: 'MemberSuspended', data: suspend.data };
  it('suspends a member out of contact for six months', () =>
    spec
      .given([...full, lost])
      .when(suspend)
      .then([suspended]));
  it('refuses before six months out of contact', () =>
    spec
      .given([...full, lost])
      .when({ ...suspend, data: { memberId, decidedOn: '2024-03-29' } })
      .thenThrows('lost-contact-too-short', 'decidedOn'));
  it('refuses a member in contact', () =>
    spec.given(full).when(suspend).thenThrows('lost-contact-too-short', 'decidedOn'));
  it('does nothing when the same suspension is retried', () =>
    spec
      .given([...full, lost, suspended])
      .when(suspend)
      .thenNothingHappened());

  const reinstate = { type: 'ReinstateMember' as const, data: { memberId, decidedOn: '2024-05-01' } };
  it('reinstates a suspended member, whose contact is restored', () =>
    spec
      .given([...full, lost, suspended])
      .when(reinstate)
      .then([
        { type: 'MemberReinstated', data: reinstate.data },
        { type: 'MemberContactRestored', data: { memberId, effectiveOn: '2024-05-01' } },
      ]));
  it('refuses to reinstate a member who is not suspended', () =>
    spec
      .given([...full, lost])
      .when(reinstate)
      .thenThrows('not-suspended'));
  it('refuses a reinstatement before the suspension', () =>
    spec
      .given([...full, lost, suspended])
      .when({ ...reinstate, data: { memberId, decidedOn: '2024-03-01' } })
      .thenThrows('date-before-suspension', 'decidedOn'));
  it('does nothing when the same reinstatement is retried', () =>
    spec
      .given([
        ...full,
        lost,
        suspended,
        { type: 'MemberReinstated', data: reinstate.data },
        { type: 'MemberContactRestored', data: { memberId, effectiveOn: '2024-05-01' } },
      ])
      .when(reinstate)
      .thenNothingHappened());
});

describe('ChangeEmployment', () => {
  const change = { type: 'ChangeEmployment' as const, data: { memberId, unitId: null, effectiveOn: '2024-01-15' } };
  it('records where the member works', () =>
    spec
      .given(full)
      .when(change)
      .then([{ type: 'MemberEmploymentChanged', data: change.data }]));
  it('refuses a date before the registration', () =>
    spec
      .given(full)
      .when({ ...change, data: { ...change.data, effectiveOn: '2020-01-01' } })
      .thenThrows('date-before-registration', 'effectiveOn'));
  it('does nothing when the unit is unchanged', () =>
    spec
      .given(full)
      .when({ ...change, data: { ...change.data, unitId: registration.unitId! } })
      .thenNothingHappened());
});

describe('transfers of the organisational relation', () => {
  const transferId = '0190a6a2-0000-7000-8000-00000000d001';
  const initiate = {
    type: 'InitiateTransfer' as const,
    data: {
      memberId,
      transferId,
      to: { orgId: gmBranch },
      effectiveOn: '2024-03-01',
      letterNo: '沪组转〔2024〕017号',
      receiving: 'active' as const,
      fromRegionCode: '310104',
      toRegionCode: '310115',
    },
  };
  const initiated: MemberEvent = {
    type: 'TransferInitiated',
    data: {
      memberId,
      transferId,
      fromOrgId: ciscoBranch,
      to: { orgId: gmBranch },
      effectiveOn: '2024-03-01',
      letterNo: '沪组转〔2024〕017号',
      validUntil: '2024-03-31',
      duesPaidUpTo: null,
    },
  };

  it('issues a letter valid 30 days within the province by default', () =>
    spec.given(full).when(initiate).then([initiated]));
  it('gives 90 days across provinces and records the month dues are paid up to', () =>
    spec
      .given([
        ...full,
        {
          type: 'DuesAssessed',
          data: { memberId, from: '2024-01', category: 'student', monthlyIncomeFen: null, monthlyDuesFen: 20 },
        },
        {
          type: 'DuesPaid',
          data: { memberId, months: ['2024-01', '2024-02'], amountFen: 40, paidOn: '2024-02-10', channel: 'wechat' },
        },
      ])
      .when({
        ...initiate,
        data: {
          ...initiate.data,
          to: { external: { name: '岳阳城陵矶新港区流动党员党委', regionCode: '430602' } },
          receiving: undefined,
          toRegionCode: '430602',
        },
      })
      .then([
        {
          type: 'TransferInitiated',
          data: {
            ...initiated.data,
            to: { external: { name: '岳阳城陵矶新港区流动党员党委', regionCode: '430602' } },
            validUntil: '2024-05-30',
            duesPaidUpTo: '2024-02',
          },
        },
      ]));
  it('refuses a second transfer while one is pending', () =>
    spec
      .given([...full, initiated])
      .when({ ...initiate, data: { ...initiate.data, transferId: '0190a6a2-0000-7000-8000-00000000d002' } })
      .thenThrows('transfer-already-pending'));
  it('refuses a letter valid for more than 180 days', () =>
    spec
      .given(full)
      .when({ ...initiate, data: { ...initiate.data, validUntil: '2024-12-31' } })
      .thenThrows('validity-too-long', 'validUntil'));
  it('refuses a receiving organisation that is dissolved', () =>
    spec
      .given(full)
      .when({ ...initiate, data: { ...initiate.data, receiving: 'dissolved' } })
      .thenThrows('organization-dissolved', 'to'));
  it('does nothing when the same letter is issued again', () =>
    spec
      .given([...full, initiated])
      .when(initiate)
      .thenNothingHappened());

  const accept = {
    type: 'AcceptTransfer' as const,
    data: { memberId, transferId, effectiveOn: '2024-03-10', receiving: 'active' as const },
  };
  const accepted: MemberEvent = {
    type: 'TransferAccepted',
    data: { memberId, transferId, fromOrgId: ciscoBranch, to: { orgId: gmBranch }, effectiveOn: '2024-03-10' },
  };
  it('moves the relation when the receiving organisation accepts', () =>
    spec
      .given([...full, initiated])
      .when(accept)
      .then([accepted]));
  it('refuses to accept into an organisation dissolved meanwhile', () =>
    spec
      .given([...full, initiated])
      .when({ ...accept, data: { ...accept.data, receiving: 'dissolved' } })
      .thenThrows('organization-dissolved', 'to'));
  it('refuses to accept for a member who left meanwhile', () =>
    spec
      .given([
        ...full,
        initiated,
        { type: 'MemberLeft', data: { memberId, reason: 'deceased', effectiveOn: '2024-03-01' } },
      ])
      .when(accept)
      .thenThrows('member-left'));
  it('does nothing when the acceptance is retried', () =>
    spec
      .given([...full, initiated, accepted])
      .when(accept)
      .thenNothingHappened());
  it('lets the member transfer again from the new organisation', () =>
    spec
      .given([...full, initiated, accepted])
      .when({ ...initiate, data: { ...initiate.data, transferId: 'next', to: { orgId: ciscoBranch } } })
      .then([
        {
          type: 'TransferInitiated',
          data: { ...initiated.data, transferId: 'next', fromOrgId: gmBranch, to: { orgId: ciscoBranch } },
        },
      ]));

  const reject = { type: 'RejectTransfer' as const, data: { memberId, transferId, reason: '介绍信信息有误' } };
  it('records a rejection', () =>
    spec
      .given([...full, initiated])
      .when(reject)
      .then([{ type: 'TransferRejected', data: { ...reject.data, effectiveOn: '2024-06-30' } }]));
  it('refuses a rejection dated before the letter or in the future', () => {
    spec
      .given([...full, initiated])
      .when({ ...reject, data: { ...reject.data, effectiveOn: '2000-01-01' } })
      .thenThrows('date-before-letter', 'effectiveOn');
    spec
      .given([...full, initiated])
      .when({ ...reject, data: { ...reject.data, effectiveOn: '2099-01-01' } })
      .thenThrows('date-in-future', 'effectiveOn');
  });
  it('refuses to reject an accepted transfer', () =>
    spec
      .given([...full, initiated, accepted])
      .when(reject)
      .thenThrows('transfer-not-pending'));
  it('does nothing when the rejection is retried', () =>
    spec
      .given([...full, initiated, { type: 'TransferRejected', data: { ...reject.data, effectiveOn: '2024-06-30' } }])
      .when(reject)
      .thenNothingHappened());

  const cancel = { type: 'CancelTransfer' as const, data: { memberId, transferId, reason: '工作变动取消' } };
  it('records a cancellation', () =>
    spec
      .given([...full, initiated])
      .when(cancel)
      .then([{ type: 'TransferCancelled', data: { ...cancel.data, effectiveOn: '2024-06-30' } }]));
  it('refuses to cancel an unknown transfer', () => spec.given(full).when(cancel).thenThrows('transfer-not-found'));
  it('does nothing when the cancellation is retried', () =>
    spec
      .given([...full, initiated, { type: 'TransferCancelled', data: { ...cancel.data, effectiveOn: '2024-06-30' } }])
      .when(cancel)
      .thenNothingHappened());
});

describe('flowing members (流动党员)', () => {
  const flowOut = {
    type: 'FlowOut' as const,
    data: {
      memberId,
      since: '2024-01-01',
      destinationRegionCode: '430602',
      hostOrgId: xingangHost,
      certificateNo: 'LD-2024-0112',
      host: 'active' as const,
    },
  };
  const flowed: MemberEvent = {
    type: 'MemberFlowedOut',
    data: {
      memberId,
      since: '2024-01-01',
      destinationRegionCode: '430602',
      hostOrgId: xingangHost,
      certificateNo: 'LD-2024-0112',
    },
  };
  it('keeps the relation at home and records the host', () => spec.given(full).when(flowOut).then([flowed]));
  it('refuses a host organisation that does not exist', () =>
    spec
      .given(full)
      .when({ ...flowOut, data: { ...flowOut.data, host: 'missing' } })
      .thenThrows('organization-not-found', 'hostOrgId'));
  it('does nothing when the same outflow is retried', () =>
    spec
      .given([...full, flowed])
      .when(flowOut)
      .thenNothingHappened());

  const back = { type: 'FlowReturn' as const, data: { memberId, effectiveOn: '2024-06-01' } };
  it('records the return', () =>
    spec
      .given([...full, flowed])
      .when(back)
      .then([{ type: 'MemberFlowReturned', data: back.data }]));
  it('refuses a return for a member who is not flowing', () => spec.given(full).when(back).thenThrows('not-flowing'));
  it('does nothing when the return is retried', () =>
    spec
      .given([...full, flowed, { type: 'MemberFlowReturned', data: back.data }])
      .when(back)
      .thenNothingHappened());
});

describe('lost contact (失联)', () => {
  const lost = { type: 'MarkLostContact' as const, data: { memberId, since: '2023-10-01' } };
  const restored = { type: 'RestoreContact' as const, data: { memberId, effectiveOn: '2024-04-01' } };
  it('flags a member out of contact', () =>
    spec
      .given(full)
      .when(lost)
      .then([{ type: 'MemberLostContact', data: lost.data }]));
  it('refuses a second, different flag', () =>
    spec
      .given([...full, { type: 'MemberLostContact', data: lost.data }])
      .when({ ...lost, data: { memberId, since: '2024-01-01' } })
      .thenThrows('already-lost-contact'));
  it('does nothing when the same flag is retried', () =>
    spec
      .given([...full, { type: 'MemberLostContact', data: lost.data }])
      .when(lost)
      .thenNothingHappened());
  it('restores contact', () =>
    spec
      .given([...full, { type: 'MemberLostContact', data: lost.data }])
      .when(restored)
      .then([{ type: 'MemberContactRestored', data: restored.data }]));
  it('refuses to restore a member in contact', () => spec.given(full).when(restored).thenThrows('not-lost-contact'));
  it('does nothing when the restoration is retried', () =>
    spec
      .given([
        ...full,
        { type: 'MemberLostContact', data: lost.data },
        { type: 'MemberContactRestored', data: restored.data },
      ])
      .when(restored)
      .thenNothingHappened());
});

describe('dues (党费)', () => {
  const assess = {
    type: 'AssessDues' as const,
    data: { memberId, from: '2024-01', category: 'employed' as const, monthlyIncomeFen: 1_150_000 },
  };
  const assessed: MemberEvent = {
    type: 'DuesAssessed',
    data: { memberId, from: '2024-01', category: 'employed', monthlyIncomeFen: 1_150_000, monthlyDuesFen: 23_000 },
  };
  it('assesses 2% of an 11,500-yuan base: 230 yuan a month', () => spec.given(full).when(assess).then([assessed]));
  it('refuses an employed assessment without income', () =>
    spec
      .given(full)
      .when({ ...assess, data: { memberId, from: '2024-01', category: 'employed' } })
      .thenThrows('income-required', 'monthlyIncomeFen'));
  it('does nothing when the same assessment is retried', () =>
    spec
      .given([...full, assessed])
      .when(assess)
      .thenNothingHappened());

  const pay = {
    type: 'PayDues' as const,
    data: { memberId, months: ['2024-01', '2024-02'], amountFen: 46_000, paidOn: '2024-02-05', channel: 'wechat' },
  };
  const paid: MemberEvent = { type: 'DuesPaid', data: pay.data };
  it('records a payment for listed months', () =>
    spec
      .given([...full, assessed])
      .when(pay)
      .then([paid]));
  it('refuses a month paid twice', () =>
    spec
      .given([...full, assessed, paid])
      .when({ ...pay, data: { ...pay.data, months: ['2024-02', '2024-03'], paidOn: '2024-03-05' } })
      .thenThrows('month-already-paid', 'months'));
  it('refuses an amount that is not the dues of those months', () =>
    spec
      .given([...full, assessed])
      .when({ ...pay, data: { ...pay.data, amountFen: 40_000 } })
      .thenThrows('amount-mismatch', 'amountFen'));
  it('refuses months before any assessment', () =>
    spec
      .given([...full, assessed])
      .when({ ...pay, data: { ...pay.data, months: ['2023-12'], amountFen: 23_000 } })
      .thenThrows('dues-not-assessed', 'months'));
  it('does nothing when the same payment is retried', () =>
    spec
      .given([...full, assessed, paid])
      .when(pay)
      .thenNothingHappened());
});

describe('RecordLeaving', () => {
  const leave = {
    type: 'RecordLeaving' as const,
    data: { memberId, reason: 'deceased' as const, effectiveOn: '2024-05-20' },
  };
  const left: MemberEvent = { type: 'MemberLeft', data: leave.data };
  it('ends the membership', () => spec.given(full).when(leave).then([left]));
  it('refuses a date in the future', () =>
    spec
      .given(full)
      .when({ ...leave, data: { ...leave.data, effectiveOn: '2024-07-01' } })
      .thenThrows('date-in-future', 'effectiveOn'));
  it('does nothing when the same leaving is retried', () =>
    spec
      .given([...full, left])
      .when(leave)
      .thenNothingHappened());
  const otherLeaving = { ...leave, data: { ...leave.data, reason: 'withdrew' as const } };
  it('refuses a different leaving afterwards', () =>
    spec
      .given([...full, left])
      .when(otherLeaving)
      .thenThrows('member-left'));
  it('names the date the member left when refusing', () =>
    expect(() => memberDecider.decide(otherLeaving, fold(memberDecider, [...full, left]), TEST_CONTEXT)).toThrow(
      'left on 2024-05-20',
    ));
  it('keeps the leaving in the state only once the member has left', () => {
    expect(fold(memberDecider, full)).toMatchObject({ status: 'member' });
    expect(fold(memberDecider, full)).not.toHaveProperty('left');
    expect(fold(memberDecider, [...full, left])).toMatchObject({
      status: 'left',
      left: { reason: 'deceased', effectiveOn: '2024-05-20' },
    });
  });
  it('refuses every other command afterwards', () =>
    spec
      .given([...full, left])
      .when({ type: 'ChangeEmployment', data: { memberId, unitId: null, effectiveOn: '2024-06-01' } })
      .thenThrows('member-left'));
});

describe('ForgetPersonalData (crypto-shredding)', () => {
  const forget = { type: 'ForgetPersonalData' as const, data: { memberId } };
  const forgotten: MemberEvent = { type: 'PersonalDataForgotten', data: { memberId } };
  it('records that the person was forgotten, also after they left', () =>
    spec
      .given([registered, { type: 'MemberLeft', data: { memberId, reason: 'deceased', effectiveOn: '2024-05-20' } }])
      .when(forget)
      .then([forgotten]));
  it('refuses a member who was never registered', () => spec.given([]).when(forget).thenThrows('member-not-found'));
  it('does nothing the second time', () => spec.given([registered, forgotten]).when(forget).thenNothingHappened());
});

describe('RecordAppraisal (民主评议)', () => {
  const appraise = {
    type: 'RecordAppraisal' as const,
    data: { memberId, year: 2023, grade: 'excellent' as const, decidedOn: '2024-01-10' },
  };
  const appraised: MemberEvent = { type: 'MemberAppraised', data: appraise.data };
  it('records the grade for a year', () => spec.given(full).when(appraise).then([appraised]));
  it('refuses a second, different grade for the year', () =>
    spec
      .given([...full, appraised])
      .when({ ...appraise, data: { ...appraise.data, grade: 'qualified' } })
      .thenThrows('appraisal-already-recorded', 'year'));
  it('refuses a year before the admission', () =>
    spec
      .given(full)
      .when({ ...appraise, data: { ...appraise.data, year: 2019, decidedOn: '2020-01-10' } })
      .thenThrows('appraisal-before-admission', 'year'));
  it('does nothing on a retry', () =>
    spec
      .given([...full, appraised])
      .when(appraise)
      .thenNothingHappened());
});

describe('RecordPoints (积分)', () => {
  const entry = { year: 2024, delta: 30, category: '志愿服务', reason: '社区志愿服务', recordedOn: '2024-05-10' };
  const record = { type: 'RecordPoints' as const, data: { memberId, ...entry } };
  const recorded: MemberEvent = { type: 'PointsRecorded', data: record.data };
  it('records an entry of the year’s points', () => spec.given(full).when(record).then([recorded]));
  it('refuses points recorded before their year', () =>
    spec
      .given(full)
      .when({ ...record, data: { ...record.data, recordedOn: '2023-12-31' } })
      .thenThrows('points-before-year', 'recordedOn'));
  it('refuses a member who has left', () =>
    spec
      .given([...full, { type: 'MemberLeft', data: { memberId, reason: 'withdrew', effectiveOn: '2024-01-01' } }])
      .when(record)
      .thenThrows('member-left'));
  it('does nothing when the same entry is recorded again', () =>
    spec
      .given([...full, recorded])
      .when(record)
      .thenNothingHappened());
});
