import { businessDateOf } from '@registry/domain';
import { type JsonObject, type Upcaster, Upcasters } from '@registry/event-store';

/**
 * Rejections and cancellations of transfers gained `effectiveOn` in schema version 2. A version 1
 * event took effect the Beijing day it was recorded (what `effectiveOnOf` already read it as).
 */
const transferEndedOnTheDayRecorded = (type: string): Upcaster => ({
  type,
  fromVersion: 1,
  upcast: (data: JsonObject, event) =>
    typeof data.effectiveOn === 'string' ? data : { ...data, effectiveOn: businessDateOf(event.recordedAt) },
});

/** Every change of a stored event's shape, applied on every read of the registry's log (ADR 0032). */
export const REGISTRY_UPCASTERS = new Upcasters([
  transferEndedOnTheDayRecorded('TransferRejected'),
  transferEndedOnTheDayRecorded('TransferCancelled'),
]);
