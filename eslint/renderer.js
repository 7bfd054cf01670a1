// The window runs in a browser sandbox and knows only window.sesame: no Node module may reach
// its bundle. It may use the core's browser-safe schemas and parsers (zod and plain TypeScript);
// anything else of src/ only as types.
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export const RENDERER_BOUNDARY_MESSAGE =
  'renderer/ runs in the browser: no Node modules; take the core only through window.sesame.';

export const rendererConfig = [
  // The render benchmark's script that runs inside the page.
  { files: ['bench/render-page.js'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['renderer/src/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: false, project: ['./renderer/tsconfig.json'] },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: RENDERER_BOUNDARY_MESSAGE },
            {
              regex:
                '(^|/)src/(store/(settings-store|secret-store|settings-loader|atomic-file|settings-dir)|engine/(engine|door-opener|event-log)|app/|api/(dispatch|handlers|event-feed)|cli/|probe/|net/(public-ip/(http-ask|dns-ask|public-ip-resolver)|network-watcher|resolve-host|default-route))(\\.js)?$',
              message: RENDERER_BOUNDARY_MESSAGE,
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
];
