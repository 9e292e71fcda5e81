declare module 'async-exit-hook' {
  type Hook = ((done: () => void) => void) | (() => void);
  function exitHook(hook: Hook): void;
  namespace exitHook {
    /** How long asynchronous hooks may run before the process exits anyway (10,000 ms by default). */
    function forceExitTimeout(ms: number): void;
  }
  export = exitHook;
}
