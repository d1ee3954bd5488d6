/**
 * Headless Chromium from Debian's package, driven by playwright-core (no downloaded browser).
 * `.ci/run` installs the package on a machine that lacks it.
 */
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}
