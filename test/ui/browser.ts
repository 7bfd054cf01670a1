import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Namespace } from '../peers/harness/netns.js';

export const CHROMIUM = '/usr/bin/chromium';
/** No GPU, no QUIC, and nothing that phones home (updates, sync, field trials). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Debian's Chromium, headless, inside a network namespace (where the preview and the lab are),
 * with a fresh profile and HOME in `work`. A wrapper script is the executable Playwright starts:
 * `ip netns exec` execs Chromium in place, so Playwright's pipes reach it unchanged.
 */
export async function startChromium(ns: Namespace, work: string): Promise<BrowserContext> {
  const wrapper = join(work, 'chromium-in-netns');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns.name} ${CHROMIUM} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const home = join(work, 'chromium-home');
  for (const dir of ['config', 'cache', 'data']) mkdirSync(join(home, dir), { recursive: true });
  return chromium.launchPersistentContext(join(work, 'chromium-profile'), {
    executablePath: wrapper,
    headless: true,
    viewport: { width: 1200, height: 760 },
    deviceScaleFactor: 1,
    args: CHROMIUM_ARGS,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_DATA_HOME: join(home, 'data'),
    },
    timeout: 60_000,
  });
}

/** Runs axe-core in the page and returns its serious and critical violations, in words. */
export async function seriousA11yViolations(page: Page, axeSource: string): Promise<string[]> {
  // page.evaluate runs through DevTools, outside the page's CSP, which forbids inline scripts.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<AxeResults> } }).axe;
    const results = await axe.run();
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

interface AxeResults {
  violations: { id: string; impact?: string; help: string; nodes: { target: string[] }[] }[];
}
