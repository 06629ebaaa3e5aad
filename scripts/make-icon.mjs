// Renders resources/build/icon.svg to the 512×512 icon.png electron-builder packages (it makes
// the Windows .ico from it). Uses Debian's Chromium through Playwright; run when the SVG changes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'build');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
  await page.goto(`file://${path.join(dir, 'icon.svg')}`);
  await page.screenshot({ path: path.join(dir, 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log(`已生成 ${path.join(dir, 'icon.png')}`);
