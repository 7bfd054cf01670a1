// Runs Electronegativity (Doyensec's checker for Electron misconfigurations) over electron/ and,
// once it is in the checkout, renderer/, and fails on any finding or any file it cannot parse.
// Its command line always exits 0 and fetches translations and Electron's release list from the
// internet, so Sesame calls its runner directly and offline: the HTTP client it uses is replaced
// by one that refuses every request. Checks turned off are listed, with the reason, in
// docs/security.md and in DISABLED_CHECKS below.
const { existsSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const ROOT = join(__dirname, '..');

/** Check (its class name, as Electronegativity's -x takes it) → why it is off; see docs/security.md. */
const DISABLED_CHECKS = {
  // It downloads Electron's release list at run time to compare versions; CI has no internet.
  // The Electron version is pinned in package.json and raised on purpose.
  AvailableSecurityFixesGlobalCheck: 'needs the internet',
};

function refuseNetwork() {
  const runnerDir = dirname(require.resolve('@doyensec/electronegativity/dist/runner.js'));
  const gotPath = require.resolve('got', { paths: [join(runnerDir, 'locales')] });
  const refuse = () => Promise.reject(new Error('Sesame runs Electronegativity offline'));
  refuse.head = refuse;
  refuse.get = refuse;
  require.cache[gotPath] = {
    id: gotPath,
    filename: gotPath,
    loaded: true,
    exports: Object.assign(refuse, { default: refuse }),
  };
}

async function main() {
  refuseNetwork();
  const run = require('@doyensec/electronegativity/dist/runner.js');
  const electronVersion = require('electron/package.json').version;
  const inputs = ['electron', 'renderer'].filter((dir) => existsSync(join(ROOT, dir)));
  if (!existsSync(join(ROOT, 'renderer'))) {
    console.log('lint:security: renderer/ is not in this checkout yet; checking electron/ only');
  }
  let failures = 0;
  for (const input of inputs) {
    // Its translations load quietly in English; hide the line about failing to fetch others.
    const log = console.log;
    console.log = (...args) => {
      if (!String(args[0]).startsWith('Could not retrieve updated translations')) log(...args);
    };
    let result;
    try {
      result = await run({
        input: join(ROOT, input),
        excludeFromScan: Object.keys(DISABLED_CHECKS),
        electronVersionOverride: electronVersion,
        isRelative: true,
        isVerbose: false,
        parserPlugins: [],
      });
    } finally {
      console.log = log;
    }
    const unparsed = result.errors.filter((error) => !error.tolerable);
    for (const error of result.errors) {
      console.log(
        `${error.tolerable ? 'note' : 'error'}: ${relative(ROOT, error.file)}: ${error.message}`,
      );
    }
    for (const issue of result.issues) {
      console.log(
        `finding: ${issue.id} in ${input}/${issue.file}:${issue.location.line}:${issue.location.column} — ${issue.description}`,
      );
    }
    console.log(
      `lint:security: ${input}/: ${result.globalChecks + result.atomicChecks} checks, ${result.issues.length} findings, ${unparsed.length} files not parsed`,
    );
    failures += result.issues.length + unparsed.length;
  }
  console.log(`lint:security: off: ${Object.keys(DISABLED_CHECKS).join(', ')} (docs/security.md)`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
