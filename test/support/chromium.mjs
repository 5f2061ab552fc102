// Finds the Chromium the tests drive: CHROME_PATH, else Debian's /usr/bin/chromium, else Playwright's own.
import { existsSync } from 'node:fs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let reported = false;

/** @returns {Promise<string>} the executable path; throws with install advice when none exists. */
export async function findChromium() {
  const candidates = [];
  if (process.env.CHROME_PATH) candidates.push([process.env.CHROME_PATH, 'CHROME_PATH']);
  candidates.push(['/usr/bin/chromium', "Debian's chromium package"]);
  try {
    const { chromium } = await import('playwright');
    candidates.push([chromium.executablePath(), "Playwright's own browser"]);
  } catch {
    /* playwright not installed */
  }
  for (const [path, source] of candidates) {
    if (path && existsSync(path)) {
      if (!reported) console.log(`[tests] using Chromium at ${path} (${source})`);
      reported = true;
      return path;
    }
  }
  throw new Error(
    'No Chromium found for the browser tests. Install one: `sudo apt-get install -y chromium` (Debian/Ubuntu), ' +
      'or set CHROME_PATH to a Chrome/Chromium executable.',
  );
}
