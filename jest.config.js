// ESM jest: ts-jest transforms TypeScript; relative imports written with .js or .ts resolve to the source.
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  // src too, so coverage counts the files no test loads
  roots: ['<rootDir>/__tests__', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  // .ts first: src/main.ts and src/post.ts sit beside the runner's entries src/main.cjs and src/post.cjs
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json', 'node'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.(js|ts)$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
  collectCoverageFrom: ['src/**/*.ts'],
  coverageThreshold: { global: { lines: 90, branches: 80 } },
  testTimeout: 30000
};
