/** Jest runs every suite: unit specs beside the code, integration/e2e under test/. */
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  testEnvironment: 'node',
  // dist/ holds the built package (same name as libs/auth-code): never a module source for tests.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  transform: {
    '^.+\\.(t|j)s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', isolatedModules: true }],
  },
  // jose 6 is ESM-only: let ts-jest turn it into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: {
    // The package by its public name, as users import it: only its `exports` entry points.
    '^nestjs-auth-code(|/testing)$': '<rootDir>/libs/auth-code/src$1',
  },
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', rootDir: __dirname, testMatch: ['<rootDir>/{libs,apps,test}/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', rootDir: __dirname, testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
  testTimeout: 30000,
};
