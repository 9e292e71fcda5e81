import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { type StreamCategory, streamIdFor } from '@registry/contracts';
import {
  type Decider,
  type DuesCategory,
  DomainError,
  type Establishment,
  establishmentWarnings,
  type ExternalParty,
  type LeavingReason,
  memberDecider,
  type MemberEvent,
  type MemberStatus,
  type Occupation,
  organizationDecider,
  type TransferTarget,
  unitDecider,
  type UnitRegistration,
} from '@registry/domain';
import type { EventStoreTransaction, PostgresEventStore } from '@registry/event-store';
import type { PersonalDataVault, PersonalFields } from '@registry/personal-data';
import {
  CommandExecutor,
  type CommandOutcome,
  type CommandRequest,
  type DomainEvent,
  type Idempotency,
  type RequestContext,
} from './command-executor';
import {
  ancestorsForReparenting,
  lockHierarchy,
  membershipOf,
  occupancyForDissolution,
  organizationForUse,
  unitExists,
} from './lookups';

/** What every command request carries besides its body. */
export interface CommandOptions {
  readonly context: RequestContext;
  readonly ifMatch?: number;
  readonly idempotency?: Idempotency;
}

export interface MemberRegistrationInput {
  readonly id?: string;
  readonly name: string;
  readonly idNumber: string;
  readonly gender: 'male' | 'female';
  readonly birthDate: string;
  readonly phone?: string;
  readonly joinedOn: string;
  readonly status: MemberStatus;
  readonly orgId: string;
  readonly unitId?: string;
  readonly occupation?: Occupation;
  readonly effectiveOn?: string;
  readonly origin?: { readonly external: ExternalParty & { readonly letterNo: string } };
}

export type EstablishmentInput = Omit<Establishment, 'organizationId'> & { readonly id?: string };

function sqlOf(tx: EventStoreTransaction) {
  return {
    query: async <Row extends object>(text: string, values?: unknown[]) => ({
      rows: await tx.query<Row>(text, values),
    }),
  };
}

async function requireUnits(tx: EventStoreTransaction, unitIds: readonly string[], field: string): Promise<void> {
  for (const unitId of unitIds) {
    const status = await unitExists(tx, unitId);
    if (status === 'missing') throw new DomainError('unit-not-found', `unit ${unitId} is not registered`, field);
    if (status === 'closed') throw new DomainError('unit-closed', `unit ${unitId} has closed`, field);
  }
}

/** Every command route of the API, as application services over the deciders. */
export class RegistryCommands {
  private readonly executor: CommandExecutor;

  constructor(
    store: PostgresEventStore,
    pool: Pick<Pool, 'query'>,
    private readonly vault: PersonalDataVault,
  ) {
    this.executor = new CommandExecutor(store, pool);
  }

  // Units

  registerUnit(
    input: Omit<UnitRegistration, 'unitId'> & { id?: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    const { id, ...rest } = input;
    const unitId = id ?? uuidv7();
    const registration: UnitRegistration = { unitId, ...rest };
    return this.on('unit', unitId, unitDecider, options, {
      successStatus: 201,
      command: () => ({ type: 'RegisterUnit' as const, data: registration }),
      reservations: () => [
        {
          kind: 'credit-code',
          value: registration.creditCode.toUpperCase(),
          rule: 'credit-code-already-registered',
          message: 'another unit is registered with this unified social credit code',
          field: 'creditCode',
        },
      ],
    });
  }

  assignInstructor(
    unitId: string,
    input: { name: string; assignedOn: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.on('unit', unitId, unitDecider, options, {
      command: () => ({ type: 'AssignInstructor' as const, data: { unitId, ...input } }),
    });
  }

  closeUnit(unitId: string, input: { effectiveOn: string }, options: CommandOptions): Promise<CommandOutcome> {
    return this.on('unit', unitId, unitDecider, options, {
      command: () => ({ type: 'CloseUnit' as const, data: { unitId, ...input } }),
    });
  }

  // Organisations

  establishOrganization(input: EstablishmentInput, options: CommandOptions): Promise<CommandOutcome> {
    const { id, ...rest } = input;
    const organizationId = id ?? uuidv7();
    const establishment: Establishment = { organizationId, ...rest };
    return this.on('organization', organizationId, organizationDecider, options, {
      successStatus: 201,
      readsLookups: true,
      command: async (_state, tx) => {
        await requireUnits(tx, establishment.unitIds, 'unitIds');
        if (establishment.parentId === undefined)
          return { type: 'EstablishOrganization' as const, data: establishment };
        await lockHierarchy(tx);
        const parent = await organizationForUse(tx, establishment.parentId);
        return { type: 'EstablishOrganization' as const, data: { ...establishment, parent: parent.lookup } };
      },
      respond: () => ({ warnings: establishmentWarnings(establishment.unitIds.length, establishment.form) }),
    });
  }

  addUnit(
    organizationId: string,
    input: { unitId: string; effectiveOn: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.on('organization', organizationId, organizationDecider, options, {
      readsLookups: true,
      command: async (state, tx) => {
        if (state.status === 'active' && !state.unitIds.includes(input.unitId))
          await requireUnits(tx, [input.unitId], 'unitId');
        return { type: 'AddUnit' as const, data: { organizationId, ...input } };
      },
      respond: (_events, state) => ({
        warnings:
          state.status === 'none' ? [] : establishmentWarnings(state.unitIds.length + 1, state.establishment.form),
      }),
    });
  }

  removeUnit(
    organizationId: string,
    unitId: string,
    input: { effectiveOn: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.on('organization', organizationId, organizationDecider, options, {
      command: () => ({ type: 'RemoveUnit' as const, data: { organizationId, unitId, ...input } }),
    });
  }

  reparentOrganization(
    organizationId: string,
    input: { parentId: string; effectiveOn: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.on('organization', organizationId, organizationDecider, options, {
      readsLookups: true,
      command: async (_state, tx) => {
        const parentAncestorIds = await ancestorsForReparenting(tx, input.parentId);
        const parent = await organizationForUse(tx, input.parentId);
        return {
          type: 'ReparentOrganization' as const,
          data: { organizationId, ...input, parent: parent.lookup, parentAncestorIds },
        };
      },
    });
  }

  renameOrganization(
    organizationId: string,
    input: { name: string; effectiveOn: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.on('organization', organizationId, organizationDecider, options, {
      command: () => ({ type: 'RenameOrganization' as const, data: { organizationId, ...input } }),
    });
  }

  appointSecretary(
    organizationId: string,
    input: { memberId: string; effectiveOn: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.on('organization', organizationId, organizationDecider, options, {
      readsLookups: true,
      command: async (_state, tx) => ({
        type: 'AppointSecretary' as const,
        data: { organizationId, ...input, memberOrganizationId: await membershipOf(tx, input.memberId) },
      }),
    });
  }

  dissolveOrganization(
    organizationId: string,
    input: { effectiveOn: string; reason: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.on('organization', organizationId, organizationDecider, options, {
      readsLookups: true,
      command: async (_state, tx) => ({
        type: 'DissolveOrganization' as const,
        data: { organizationId, ...input, ...(await occupancyForDissolution(tx, organizationId)) },
      }),
    });
  }

  // Members

  registerMember(input: MemberRegistrationInput, options: CommandOptions): Promise<CommandOutcome> {
    const memberId = input.id ?? uuidv7();
    const personal: PersonalFields = {
      name: input.name,
      idNumber: input.idNumber.toUpperCase(),
      birthDate: input.birthDate,
      ...(input.phone === undefined ? {} : { phone: input.phone }),
    };
    return this.on('member', memberId, memberDecider, options, {
      successStatus: 201,
      readsLookups: true,
      command: async (_state, tx) => {
        const organization = await organizationForUse(tx, input.orgId);
        if (input.unitId !== undefined) await requireUnits(tx, [input.unitId], 'unitId');
        const sealed = await this.vault.seal(memberId, personal, sqlOf(tx));
        return {
          type: 'RegisterMember' as const,
          data: {
            memberId,
            personal: sealed,
            gender: input.gender,
            joinedOn: input.joinedOn,
            status: input.status,
            orgId: input.orgId,
            ...(input.unitId === undefined ? {} : { unitId: input.unitId }),
            ...(input.occupation === undefined ? {} : { occupation: input.occupation }),
            effectiveOn: input.effectiveOn ?? options.context.today,
            ...(input.origin === undefined ? {} : { origin: input.origin }),
            organization: organization.lookup,
          },
        };
      },
      reservations: () => [
        {
          kind: 'resident-id',
          value: this.vault.residentIdFingerprint(personal.idNumber),
          rule: 'resident-id-already-registered',
          message: 'a member with this resident ID number is already registered',
          field: 'idNumber',
        },
        ...(input.origin
          ? [
              {
                kind: 'letter-no',
                value: input.origin.external.letterNo,
                rule: 'letter-number-used',
                message: `letter ${input.origin.external.letterNo} was already used`,
                field: 'origin.external.letterNo',
              },
            ]
          : []),
      ],
    });
  }

  confirmMember(memberId: string, input: { effectiveOn: string }, options: CommandOptions): Promise<CommandOutcome> {
    return this.member(memberId, options, () => ({ type: 'ConfirmMember' as const, data: { memberId, ...input } }));
  }

  changeEmployment(
    memberId: string,
    input: { unitId: string | null; effectiveOn: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.member(
      memberId,
      options,
      async (tx) => {
        if (input.unitId !== null) await requireUnits(tx, [input.unitId], 'unitId');
        return { type: 'ChangeEmployment' as const, data: { memberId, ...input } };
      },
      { readsLookups: input.unitId !== null },
    );
  }

  initiateTransfer(
    memberId: string,
    input: { to: TransferTarget; effectiveOn: string; letterNo?: string; validUntil?: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    const transferId = uuidv7();
    return this.on('member', memberId, memberDecider, options, {
      successStatus: 201,
      readsLookups: true,
      command: async (state, tx) => {
        const from =
          state.status !== 'unregistered' && state.orgId ? await organizationForUse(tx, state.orgId) : undefined;
        const receiving = 'orgId' in input.to ? await organizationForUse(tx, input.to.orgId) : undefined;
        const toRegionCode = 'orgId' in input.to ? (receiving?.regionCode ?? '') : input.to.external.regionCode;
        return {
          type: 'InitiateTransfer' as const,
          data: {
            memberId,
            transferId,
            ...input,
            ...(receiving ? { receiving: receiving.lookup } : {}),
            fromRegionCode: from?.regionCode ?? '',
            toRegionCode,
          },
        };
      },
      reservations: () =>
        input.letterNo === undefined
          ? []
          : [
              {
                kind: 'letter-no',
                value: input.letterNo,
                rule: 'letter-number-used',
                message: `letter ${input.letterNo} was already used`,
                field: 'letterNo',
              },
            ],
      respond: (events) => {
        const initiated = events.find((event) => event.type === 'TransferInitiated');
        return { transferId: initiated?.type === 'TransferInitiated' ? initiated.data.transferId : transferId };
      },
    });
  }

  acceptTransfer(
    memberId: string,
    transferId: string,
    input: { effectiveOn: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.on('member', memberId, memberDecider, options, {
      readsLookups: true,
      command: async (state, tx) => {
        const target = state.status === 'member' ? state.pendingTransfer?.to : undefined;
        const receiving = target && 'orgId' in target ? await organizationForUse(tx, target.orgId) : undefined;
        return {
          type: 'AcceptTransfer' as const,
          data: { memberId, transferId, ...input, ...(receiving ? { receiving: receiving.lookup } : {}) },
        };
      },
      respond: () => ({ transferId }),
    });
  }

  rejectTransfer(
    memberId: string,
    transferId: string,
    input: { reason: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.member(
      memberId,
      options,
      () => ({ type: 'RejectTransfer' as const, data: { memberId, transferId, ...input } }),
      { extra: { transferId } },
    );
  }

  cancelTransfer(
    memberId: string,
    transferId: string,
    input: { reason: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.member(
      memberId,
      options,
      () => ({ type: 'CancelTransfer' as const, data: { memberId, transferId, ...input } }),
      { extra: { transferId } },
    );
  }

  flowOut(
    memberId: string,
    input: { since: string; destinationRegionCode: string; hostOrgId?: string; certificateNo?: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.member(
      memberId,
      options,
      async (tx) => {
        const host = input.hostOrgId === undefined ? undefined : await organizationForUse(tx, input.hostOrgId);
        return { type: 'FlowOut' as const, data: { memberId, ...input, ...(host ? { host: host.lookup } : {}) } };
      },
      { readsLookups: input.hostOrgId !== undefined },
    );
  }

  flowReturn(memberId: string, input: { effectiveOn: string }, options: CommandOptions): Promise<CommandOutcome> {
    return this.member(memberId, options, () => ({ type: 'FlowReturn' as const, data: { memberId, ...input } }));
  }

  markLostContact(memberId: string, input: { since: string }, options: CommandOptions): Promise<CommandOutcome> {
    return this.member(memberId, options, () => ({ type: 'MarkLostContact' as const, data: { memberId, ...input } }));
  }

  restoreContact(memberId: string, input: { effectiveOn: string }, options: CommandOptions): Promise<CommandOutcome> {
    return this.member(memberId, options, () => ({ type: 'RestoreContact' as const, data: { memberId, ...input } }));
  }

  assessDues(
    memberId: string,
    input: { from: string; category: DuesCategory; monthlyIncomeFen?: number },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.member(memberId, options, () => ({ type: 'AssessDues' as const, data: { memberId, ...input } }), {
      respond: (events) => {
        const assessed = events.find((event) => event.type === 'DuesAssessed');
        return assessed?.type === 'DuesAssessed' ? { monthlyDuesFen: assessed.data.monthlyDuesFen } : {};
      },
    });
  }

  payDues(
    memberId: string,
    input: { months: string[]; amountFen: number; paidOn: string; channel: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.member(memberId, options, () => ({ type: 'PayDues' as const, data: { memberId, ...input } }));
  }

  recordLeaving(
    memberId: string,
    input: { reason: LeavingReason; effectiveOn: string },
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    return this.member(memberId, options, () => ({ type: 'RecordLeaving' as const, data: { memberId, ...input } }));
  }

  /** Destroys the member's data key with the event that records it: history stays, the person is gone. */
  forgetPersonalData(memberId: string, options: CommandOptions): Promise<CommandOutcome> {
    return this.on('member', memberId, memberDecider, options, {
      command: () => ({ type: 'ForgetPersonalData' as const, data: { memberId } }),
      alongside: async (tx) => {
        await this.vault.forget(memberId, options.context.actor, sqlOf(tx));
      },
    });
  }

  /** One command on one aggregate's stream; 200 unless the spec says otherwise. */
  private on<C, E extends DomainEvent, S>(
    category: StreamCategory,
    aggregateId: string,
    decider: Decider<C, E, S>,
    options: CommandOptions,
    spec: Omit<
      CommandRequest<C, E, S>,
      'streamId' | 'aggregateId' | 'decider' | 'successStatus' | keyof CommandOptions
    > & {
      readonly successStatus?: number;
    },
  ): Promise<CommandOutcome> {
    return this.executor.execute({
      ...options,
      successStatus: 200,
      ...spec,
      streamId: streamIdFor(category, aggregateId),
      aggregateId,
      decider,
    });
  }

  private member(
    memberId: string,
    options: CommandOptions,
    command: (
      tx: EventStoreTransaction,
    ) => Parameters<typeof memberDecider.decide>[0] | Promise<Parameters<typeof memberDecider.decide>[0]>,
    more: {
      readsLookups?: boolean;
      extra?: Record<string, unknown>;
      respond?: (events: readonly MemberEvent[]) => Record<string, unknown>;
    } = {},
  ): Promise<CommandOutcome> {
    return this.on('member', memberId, memberDecider, options, {
      readsLookups: more.readsLookups ?? false,
      command: (_state, tx) => command(tx),
      respond: (events) => ({ ...more.extra, ...more.respond?.(events) }),
    });
  }
}
