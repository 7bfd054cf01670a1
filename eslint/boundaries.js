// The folder says where code runs. src/ is the plain-Node core (the CLI, the tests and the
// preview bridge run it as is), so it must never import Electron or reach into the shell.
export const CORE_BOUNDARY_MESSAGE =
  'src/ is the plain-Node core: Electron and the shell in electron/ stay out of it.';

export const coreBoundary = {
  files: ['src/**'],
  rules: {
    'no-restricted-imports': [
      'error',
      // `electron`, `electron/main`, and relative paths into the electron/ folder.
      { patterns: [{ regex: '(^|/)electron(/|$)', message: CORE_BOUNDARY_MESSAGE }] },
    ],
    // The same for `await import('electron')` and `require('electron')`.
    'no-restricted-syntax': [
      'error',
      {
        selector: 'ImportExpression[source.value=/(^|\\/)electron(\\/|$)/]',
        message: CORE_BOUNDARY_MESSAGE,
      },
      {
        selector:
          "CallExpression[callee.name='require'][arguments.0.value=/(^|\\/)electron(\\/|$)/]",
        message: CORE_BOUNDARY_MESSAGE,
      },
    ],
  },
};
