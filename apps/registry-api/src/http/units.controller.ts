import { Controller, Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import {
  AssignInstructorCommand,
  CloseUnitCommand,
  type CommandOptions,
  RegisterUnitCommand,
  WithdrawInstructorCommand,
} from '@registry/commands';
import { CommandRoute } from './command-route';
import { CommandBody, RequestOptions, UuidParam } from './parameters';
import { assignInstructorBody, effectiveOnBody, registerUnitBody } from './schemas';

@ApiTags('units')
@Controller('v1/units')
export class UnitsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @CommandRoute({ summary: 'Register a unit (两新组织): UnitRegistered', body: registerUnitBody, status: 201 })
  register(@CommandBody() input: RegisterUnitCommand['input'], @RequestOptions() options: CommandOptions) {
    return this.commands.execute(new RegisterUnitCommand(input, options));
  }

  @CommandRoute({
    path: ':id/instructors',
    summary: 'Assign a party-building instructor (党建指导员)',
    body: assignInstructorBody,
  })
  assignInstructor(
    @UuidParam('id') unitId: string,
    @CommandBody() input: AssignInstructorCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new AssignInstructorCommand(unitId, input, options));
  }

  @CommandRoute({
    path: ':id/instructors/withdraw',
    summary: 'The unit\u2019s instructors leave: work coverage (工作覆盖) ends from that date',
    body: effectiveOnBody,
  })
  withdrawInstructor(
    @UuidParam('id') unitId: string,
    @CommandBody() input: WithdrawInstructorCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new WithdrawInstructorCommand(unitId, input, options));
  }

  @CommandRoute({ path: ':id/close', summary: 'Close a unit', body: effectiveOnBody })
  close(
    @UuidParam('id') unitId: string,
    @CommandBody() input: CloseUnitCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new CloseUnitCommand(unitId, input, options));
  }
}
