/** Why a stream was refused: its caller has all their streams open, or the process has all it serves. */
export type StreamRefusal = 'principal-full' | 'all-full';

export type StreamSlot =
  { readonly granted: true; release(): void } | { readonly granted: false; readonly refusal: StreamRefusal };

/**
 * Counts open event streams per caller and in total. A granted slot is released once, however often
 * `release` is called (a stream ends by client abort, error and shutdown, sometimes several at once).
 */
export class StreamSlots {
  private readonly openBy = new Map<string, number>();
  private open = 0;

  constructor(private readonly limits: { readonly perPrincipal: number; readonly total: number }) {}

  get openStreams(): number {
    return this.open;
  }

  take(principal: string): StreamSlot {
    const mine = this.openBy.get(principal) ?? 0;
    if (mine >= this.limits.perPrincipal) return { granted: false, refusal: 'principal-full' };
    if (this.open >= this.limits.total) return { granted: false, refusal: 'all-full' };
    this.openBy.set(principal, mine + 1);
    this.open += 1;
    let released = false;
    return {
      granted: true,
      release: () => {
        if (released) return;
        released = true;
        this.open -= 1;
        const left = (this.openBy.get(principal) ?? 1) - 1;
        if (left === 0) this.openBy.delete(principal);
        else this.openBy.set(principal, left);
      },
    };
  }
}
