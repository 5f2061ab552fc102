// The Credits area as a hosted organiser: on the demo's metered organisation ("Demo Timing Co", Pay As You Go), fill
// the billing details, buy 1,000 credits through the four steps (Plan → Credits → Review → Payment) with the test
// gateway, come back to the console and see the new balance, then download the invoice: a real PDF.
import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, signInAsOwner, test } from './support.ts';

const credits = (page: Page) => page.getByRole('navigation', { name: 'Credits pages' });
const balance = async (page: Page) => Number((await page.locator('[data-balance]').innerText()).replace(/\D/g, ''));

test('buy 1,000 credits on the demo with the test gateway in four steps, see the balance and the invoice PDF', async ({
  page,
  problems,
}) => {
  test.setTimeout(120_000);
  await signInAsOwner(page);
  // The metered demo organisation, through the switcher.
  await page.getByLabel('Organisation').selectOption({ label: 'Demo Timing Co' });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credits' }).click();
  await expect(page.getByRole('heading', { name: 'Credits', level: 1 })).toBeVisible();
  await expect(page.locator('[data-balance]')).toBeVisible();
  const before = await balance(page);
  await expect(page.getByRole('heading', { name: 'Monthly Usage Summary' })).toBeVisible();
  await expect(page.locator('table[data-monthly] tbody tr')).toHaveCount(4);
  await expectNoAxeViolations(page);

  // Billing details first: the invoice prints them.
  await credits(page).getByRole('link', { name: 'Billing & Transactions' }).click();
  await expect(page.getByRole('heading', { name: 'Billing & Transactions', level: 1 })).toBeVisible();
  await page.getByLabel('Company').fill('Demo Timing Co SAS');
  await page.getByLabel('Billing email').fill('billing@timing.example');
  await page.getByRole('textbox', { name: 'Address', exact: true }).fill('3 rue du Stade');
  await page.getByLabel('City').fill('Lyon');
  await page.getByLabel('Postal code').fill('69007');
  await page.getByLabel('Country (two-letter code, e.g. FR)').fill('FR');
  await page.getByRole('button', { name: 'Save billing details' }).click();
  await expect(page.getByText('Billing details saved.')).toBeVisible();
  await expectNoAxeViolations(page);

  // Step 1: Plan. Enterprise is a contact link, not a payment; Add Credits goes on.
  await credits(page).getByRole('link', { name: 'Buy credits' }).click();
  await expect(page.getByRole('heading', { name: 'Buy credits', level: 1 })).toBeVisible();
  const steps = page.getByRole('navigation', { name: 'Purchase steps' });
  await expect(steps.locator('[aria-current=step]')).toHaveText('Step 1: Plan');
  await page.getByRole('radio', { name: /^Enterprise/ }).check();
  await expect(page.getByRole('link', { name: 'Contact us about Enterprise' })).toBeVisible();
  await page.getByRole('radio', { name: /^Add Credits/ }).check();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: Credits, by keyboard: 999 is under the minimum, 1,000 goes.
  await expect(steps.locator('[aria-current=step]')).toHaveText('Step 2: Credits');
  const amount = page.getByLabel('Credits to add');
  await amount.fill('999');
  await amount.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('Buy at least 1,000 credits.');
  await amount.fill('1000');
  await amount.press('Enter');

  // Step 3: Review.
  await expect(steps.locator('[aria-current=step]')).toHaveText('Step 3: Review');
  await expect(page.locator('[data-review]')).toContainText('1,000');
  const total = (await page.locator('[data-review] [data-total]').innerText()).trim();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Continue to payment' }).click();

  // Step 4: Payment: the pay button waits for the Refund Policy.
  await expect(steps.locator('[aria-current=step]')).toHaveText('Step 4: Payment');
  const pay = page.getByRole('button', { name: `Pay ${total}` });
  await expect(pay).toBeDisabled();
  await page.getByRole('checkbox', { name: /Refund Policy/ }).check();
  await expect(pay).toBeEnabled();
  await expectNoAxeViolations(page);
  await page.screenshot({ path: 'test-results/screenshots/credits-payment-step.png' });
  await pay.click();

  // The test gateway's page, then back to the console.
  await page.waitForURL(/\/pay\/credits\//);
  await expect(page.getByRole('heading', { name: 'Test payment' })).toBeVisible();
  await page.getByRole('button', { name: `Pay ${total}` }).click();
  await page.waitForURL(/\/console\/.*#\/credits\/buy/);
  await expect(page.locator('[data-outcome=completed]')).toHaveText('Payment completed: 1,000 credits added.');
  expect(await balance(page)).toBe(before + 1000);
  await expectNoAxeViolations(page);

  // The Credits tab: the new balance and the purchase in the history and the ledger.
  await page.getByRole('link', { name: 'Back to Credits' }).click();
  await expect(page.getByRole('heading', { name: 'Credits', level: 1 })).toBeVisible();
  await expect.poll(() => balance(page)).toBe(before + 1000);
  await expect(page.locator('table[data-transactions] tr[data-type=purchase]').first()).toContainText('+1,000');
  await expect(page.locator('table[data-purchases]')).toContainText('Add Credits');

  // The invoice: a real PDF, from the purchase history.
  const link = page.locator('table[data-purchases] a', { hasText: /Invoice .+ \(PDF\)/ }).first();
  await expect(link).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pdf = await PDFDocument.load(bytes);
  expect(pdf.getPageCount()).toBeGreaterThan(0);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  console.log(`[credits] bought 1,000 credits for ${total}; invoice ${download.suggestedFilename()} (${bytes.length} bytes)`);

  // Expected failures only: the signed-out session check (401). Chromium's "Failed to load resource" lines name no URL
  // (the favicon the gateway's page has none of): every failed response of the pages is an "http NNN" line, checked.
  expect(problems.filter((p) => !/http 401: GET .*\/auth\/session$|Failed to load resource/.test(p))).toEqual([]);
});
