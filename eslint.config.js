// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The protocol core does no I/O and owns no timers (STYLE.md): time is passed in.
const sansIoCore = [
  'src/rtsp/**/*.ts',
  'src/sdp/**/*.ts',
  'src/rtp/**/*.ts',
  'src/depacketizers/**/*.ts',
  'src/packetizers/**/*.ts',
  'src/codecs/**/*.ts',
];
const ioModules = [
  'net',
  'dgram',
  'tls',
  'fs',
  'fs/promises',
  'http',
  'https',
  'child_process',
  'timers',
  'timers/promises',
];

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', 'test/fixtures/', 'bench/results/', '.cache/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: sansIoCore,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules
            .flatMap((m) => [m, `node:${m}`])
            .map((name) => ({ name, message: 'the protocol core does no I/O' })),
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask'].map((name) => ({
          name,
          message: 'the protocol core owns no timers',
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'time is passed in to the protocol core' },
        {
          object: 'performance',
          property: 'now',
          message: 'time is passed in to the protocol core',
        },
      ],
    },
  },
  {
    // Tests and scripts may be looser with types from child processes and fixtures.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.{js,mjs,ts}'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain Node scripts: Node's globals are defined.
    files: ['**/*.js', '**/*.mjs'],
    rules: { 'no-undef': 'off' },
  },
);
