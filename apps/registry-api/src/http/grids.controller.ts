import { Controller, Inject } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import {
  type CommandOptions,
  EstablishGridCommand,
  GridQuery,
  JoinGridCommand,
  LeaveGridCommand,
} from '@registry/commands';
import { gridAnswer } from './answers';
import { CommandRoute } from './command-route';
import { CommandBody, RequestOptions, UuidParam, ValidQuery } from './parameters';
import { organizationQuery } from './query-schemas';
import { QueryRoute } from './query-route';
import { addUnitBody, effectiveOnBody, gridBody } from './schemas';

@ApiTags('grids')
@Controller('v1/grids')
export class GridsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @CommandRoute({
    summary: 'Establish a grid (网格联建) of units under one lead organisation rated 4 stars or more',
    body: gridBody,
    status: 201,
  })
  establish(@CommandBody() input: EstablishGridCommand['input'], @RequestOptions() options: CommandOptions) {
    return this.commands.execute(new EstablishGridCommand(input, options));
  }

  @CommandRoute({ path: ':id/units', summary: 'A unit joins the grid from a date', body: addUnitBody })
  join(
    @UuidParam('id') gridId: string,
    @CommandBody() input: JoinGridCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new JoinGridCommand(gridId, input, options));
  }

  @CommandRoute({
    path: ':id/units/:unitId/leave',
    summary: 'A unit leaves the grid from a date',
    body: effectiveOnBody,
  })
  leave(
    @UuidParam('id') gridId: string,
    @UuidParam('unitId') unitId: string,
    @CommandBody() input: LeaveGridCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new LeaveGridCommand(gridId, unitId, input, options));
  }

  @QueryRoute({
    path: ':id',
    summary: 'The grid as of a date: its lead and latest rating, its units with their coverage, members employed there',
    query: organizationQuery,
    answer: gridAnswer,
  })
  grid(@UuidParam('id') gridId: string, @ValidQuery() query: GridQuery['parameters']) {
    return this.queries.execute(new GridQuery(gridId, query));
  }
}
