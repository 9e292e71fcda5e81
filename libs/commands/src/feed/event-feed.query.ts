import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { type PublicEvent, toPublicEvent } from '@registry/contracts';
import { ReadSide } from '../read-side';

export interface EventFeedPage {
  readonly events: PublicEvent[];
  /** Pass as `after` for the next page: it moves past events the category filter left out. */
  readonly next: string;
  readonly caughtUp: boolean;
}

/** The public event feed, a page after a global position: CloudEvents, in log order. */
export class EventFeedQuery extends Query<EventFeedPage> {
  constructor(readonly parameters: { readonly after: string; readonly limit: number; readonly category?: string }) {
    super();
  }
}

/** `unit,organization` → the categories to keep; none: every category. */
export const categoriesOf = (category: string | undefined): string[] | undefined =>
  category ? category.split(',') : undefined;

@QueryHandler(EventFeedQuery)
export class EventFeedHandler implements IQueryHandler<EventFeedQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  async execute({ parameters }: EventFeedQuery): Promise<EventFeedPage> {
    const { eventStore } = await this.readSide.sources();
    const page = await eventStore.readAll({
      after: BigInt(parameters.after),
      limit: parameters.limit,
      categories: categoriesOf(parameters.category),
    });
    // Every stored event has a public contract (a unit test holds the domain to it); a miss here is a bug, said loudly.
    return {
      events: page.events.map((event) => toPublicEvent(event, this.readSide.settings.publicBaseUrl)),
      next: page.checkpoint.toString(),
      caughtUp: page.caughtUp,
    };
  }
}
