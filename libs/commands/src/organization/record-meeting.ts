import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type Meeting, organizationDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { belongToOrganizationOn } from '../lookups';

export class RecordMeetingCommand extends Command<CommandAnswer> {
  constructor(
    readonly organizationId: string,
    readonly input: Omit<Meeting, 'absences'> & { readonly absences?: Meeting['absences'] },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** 三会一课: attendees and the excused are checked against the organisation on the meeting's day. */
@CommandHandler(RecordMeetingCommand)
export class RecordMeetingHandler implements ICommandHandler<RecordMeetingCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ organizationId, input, options }: RecordMeetingCommand): Promise<CommandAnswer> {
    const meeting: Meeting = { ...input, absences: input.absences ?? [] };
    return executeOn(this.executor, 'organization', organizationId, organizationDecider, options, {
      readsLookups: true,
      command: async (_state, tx) => {
        // One lookup for everyone named: the attendees, then the excused.
        const named = [...meeting.attendeeIds, ...meeting.absences.map((absence) => absence.memberId)];
        const belong = await belongToOrganizationOn(tx, organizationId, named, meeting.heldOn);
        return {
          type: 'RecordMeeting' as const,
          data: {
            organizationId,
            ...meeting,
            attending: belong.slice(0, meeting.attendeeIds.length),
            absent: belong.slice(meeting.attendeeIds.length),
          },
        };
      },
    });
  }
}
