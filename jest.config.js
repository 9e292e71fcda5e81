// One configuration for every tier; the tier is in the file name (*.unit|int|e2e.spec.ts).
// `npm run test:unit` etc. narrow it with --testPathPatterns.
const swcConfig = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const aliases = [
  'event-store',
  'domain',
  'projections',
  'contracts',
  'config',
  'postgres',
  'runtime',
  'personal-data',
  'commands',
  'relay',
  'telemetry',
];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testRegex: '\\.(unit|int|e2e)\\.spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/var/'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleNameMapper: Object.fromEntries(aliases.map((lib) => [`^@registry/${lib}$`, `<rootDir>/libs/${lib}/src`])),
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/totals-reporter.js'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
