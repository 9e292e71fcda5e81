import { Controller, Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import {
  type CommandOptions,
  DepartInflowCommand,
  ForgetInflowPersonalDataCommand,
  RegisterInflowingMemberCommand,
} from '@registry/commands';
import { CommandRoute, ForgetRoute } from './command-route';
import { CommandBody, RequestOptions, UuidParam } from './parameters';
import { effectiveOnBody, inflowingMemberBody } from './schemas';

@ApiTags('inflowing members')
@Controller('v1/inflowing-members')
export class InflowingMembersController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @CommandRoute({
    summary:
      'A flowing member (流入党员) whose home organisation is outside the registry, hosted here; personal fields are encrypted',
    body: inflowingMemberBody,
    status: 201,
  })
  register(@CommandBody() input: RegisterInflowingMemberCommand['input'], @RequestOptions() options: CommandOptions) {
    return this.commands.execute(new RegisterInflowingMemberCommand(input, options));
  }

  @CommandRoute({ path: ':id/depart', summary: 'The inflowing member leaves the host', body: effectiveOnBody })
  depart(
    @UuidParam('id') inflowingMemberId: string,
    @CommandBody() input: DepartInflowCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new DepartInflowCommand(inflowingMemberId, input, options));
  }

  @ForgetRoute('Forget the inflowing member (crypto-shredding): the data key is destroyed, history and counts stay')
  forget(@UuidParam('id') inflowingMemberId: string, @RequestOptions() options: CommandOptions) {
    return this.commands.execute(new ForgetInflowPersonalDataCommand(inflowingMemberId, options));
  }
}
