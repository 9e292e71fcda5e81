/** `If-Match` named a stream version the stream has moved past: nothing was written. */
export class PreconditionFailed extends Error {
  override readonly name = 'PreconditionFailed';

  constructor(
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`If-Match expected version ${expectedVersion}, the stream is at version ${actualVersion}`);
  }
}

/** The same Idempotency-Key came back with a different request. */
export class IdempotencyKeyReused extends Error {
  override readonly name = 'IdempotencyKeyReused';

  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was used for a different request`);
  }
}

/** A concurrent request with the same Idempotency-Key is still being executed. */
export class IdempotentRequestInProgress extends Error {
  override readonly name = 'IdempotentRequestInProgress';

  constructor(readonly key: string) {
    super(`a request with Idempotency-Key ${key} is still in progress`);
  }
}

/** Every retry of a conflicting append met another conflict. */
export class ContentionTooHigh extends Error {
  override readonly name = 'ContentionTooHigh';

  constructor(
    readonly streamId: string,
    attempts: number,
  ) {
    super(`stream ${streamId} kept changing: gave up after ${attempts} attempts`);
  }
}

/** What a query asked for does not exist; `rule` names the registry rule that says so, if one does. */
export class NotFound extends Error {
  override readonly name = 'NotFound';

  constructor(
    message: string,
    readonly rule?: string,
  ) {
    super(message);
  }
}
