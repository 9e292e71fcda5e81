export type ActualVersion = number | 'no-stream';

/** The stream was not at the version the writer expected; nothing was written. */
export class WrongExpectedVersion extends Error {
  override readonly name = 'WrongExpectedVersion';

  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: ActualVersion,
  ) {
    super(`stream ${streamId}: expected version ${expected}, actual ${String(actual)}`);
  }
}

/** Some of the event ids are already stored, in another stream or not all of them; nothing was written. */
export class EventIdConflict extends Error {
  override readonly name = 'EventIdConflict';

  constructor(readonly streamId: string) {
    super(`stream ${streamId}: some event ids are already stored elsewhere or only partly; nothing was written`);
  }
}

/** The append request itself is malformed (no events, a bad id or type); nothing was written. */
export class InvalidAppend extends Error {
  override readonly name = 'InvalidAppend';
}
