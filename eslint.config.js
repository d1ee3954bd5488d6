// ESLint (flat config): typescript-eslint's recommended set, a few type-aware promise rules, and a fence
// around the Temporal workflow sandbox. Formatting is Prettier's job: eslint-config-prettier comes last and
// switches off every rule that would disagree with it.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const sandboxMessage =
  'Workflow code runs in the Temporal workflow sandbox, which must be deterministic and replayable: no Node built-ins there. ' +
  'Do I/O (files, network, clocks, randomness, processes) in an activity (activities/) and call it through proxyActivities.';

export default defineConfig(
  {
    // console/src/api/schema.d.ts and steps.ts are generated (scripts/console-build.ts).
    ignores: [
      'node_modules/',
      '.tools/',
      '.data/',
      'coverage/',
      'tests/histories/',
      'dist/',
      'console/dist/',
      'console/src/api/schema.d.ts',
      'console/src/api/steps.ts',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      globals: globals.node,
    },
    rules: {
      // Tuned to this codebase's style:
      // - A leading underscore marks a name kept on purpose though unused: an Express error handler's `_next`
      //   (Express tells one by its four parameters), a property dropped by destructuring
      //   (`{ notes: _notes, ...rest }`). Those are not findings; any other unused name still is.
      // - typescript-eslint's `strict` set is not used, so `no-non-null-assertion` is off: the code asserts `!`
      //   where a lookup cannot miss (a key it has just checked or set), about 80 times, and each is deliberate.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // The console runs in the browser.
    files: ['console/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        // Type information from tsconfig.json (console/tsconfig.json for the console), for the rules below that need it.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The type-aware rules that pay for themselves here: a promise nobody awaits loses its rejection
      // (an unhandled rejection ends the process), and an async callback where a void one is expected
      // (an Express handler, an event listener) does the same.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['workflows/**'],
    rules: {
      // The TypeScript form of no-restricted-imports: the same options, but `import type` stays allowed,
      // since a type import is erased and brings nothing into the sandbox.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({ name, message: sandboxMessage, allowTypeImports: true })),
          patterns: [{ group: ['node:*'], message: sandboxMessage, allowTypeImports: true }],
        },
      ],
    },
  },
  prettier,
);
