import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { CORE_BOUNDARY_MESSAGE, coreBoundary } from '../../eslint/boundaries.js';

// The rule that keeps Electron out of the core (eslint.config.js uses the same object) must
// really fire, and only in src/.
describe('the lint boundary around src/', () => {
  const linter = new Linter({ configType: 'flat' });
  const config = [
    { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
    coreBoundary,
  ];

  function violations(filename: string, code: string): string[] {
    return linter
      .verify(`${code}\nexport const x = 1;\n`, config, { filename })
      .map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
  }

  it.each([
    "import { app } from 'electron';",
    "import { ipcRenderer } from 'electron/renderer';",
    "import { createWindow } from '../../electron/window.js';",
    "const { app } = await import('electron');",
    "const { app } = require('electron/main');",
  ])('refuses %s in src/', (code) => {
    const found = violations('src/engine/example.ts', code);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(CORE_BOUNDARY_MESSAGE);
  });

  it('allows Node modules in src/, and electron in electron/', () => {
    expect(violations('src/engine/example.ts', "import { lookup } from 'node:dns';")).toEqual([]);
    expect(violations('src/engine/example.ts', "import { x } from './electronic.js';")).toEqual([]);
    expect(violations('electron/example.ts', "import { app } from 'electron';")).toEqual([]);
  });
});
