import { ApiProblem } from './api.js';
import { h } from './dom.js';

/** Navigates within the console: the hash router re-renders, also when the hash is already this one. */
export function go(hash: string): void {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

export function failure(error: unknown): HTMLElement {
  const message = error instanceof ApiProblem || error instanceof Error ? error.message : String(error);
  return h('p', { className: 'error', role: 'alert' }, message);
}

/** Runs `work`, showing its failure in `slot` instead of the page failing. */
export async function guarded(slot: HTMLElement, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    slot.replaceChildren(failure(error));
  }
}
