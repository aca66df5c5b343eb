/**
 * The storefront in real Chromium (Debian's package, `npm run browser:install`), driven by
 * playwright-core, against the embedded platform as `npm start` runs it. Screenshots of each state
 * land in tmp/test-results/storefront/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eventually, startEmbedded, stopEmbedded, type EmbeddedPlatform } from '@platform/testing';

const chromiumPath = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const screenshots = join(__dirname, '../../../tmp/test-results/storefront');
/** Generous: a busy CI machine may take a while for a saga; the page shows it as soon as it happens. */
const sagaMs = 60_000;

let platform: EmbeddedPlatform;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  platform = await startEmbedded({ LOG_LEVEL: 'warn' });
  await platform.waitForOutput('the platform is up');
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (platform) await stopEmbedded(platform);
});

jest.setTimeout(180_000);

async function newCustomer(): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(platform.gateway);
  const register = page.getByRole('form', { name: 'Register' });
  await register.getByLabel('Name').fill('Ada');
  await register
    .getByLabel('Email')
    .fill(`ada-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`);
  await register.getByLabel(/Password/).fill('correct horse battery staple');
  await register.getByRole('button', { name: 'Register and sign in' }).click();
  await page.getByText('Signed in as').waitFor();
  expect(errors).toEqual([]);
  return page;
}

async function order(page: Page, card: string, quantity = 1): Promise<void> {
  const form = page.getByRole('form', { name: 'Place an order' });
  await form.getByLabel('Product').selectOption('TEA-GREEN');
  await form.getByLabel('Quantity').fill(String(quantity));
  await form.getByLabel('Card').selectOption(card);
  await form.getByRole('button', { name: 'Place order' }).click();
}

async function adminPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(platform.gateway);
  const signIn = page.getByRole('form', { name: 'Sign in' });
  await signIn.getByLabel('Email').fill('admin@platform.local');
  await signIn.getByLabel('Password').fill('platform-admin-password');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Admin' }).waitFor();
  // The fault settings are loaded into their form: a change made before that would be overwritten.
  await page.locator('#faults-form[aria-busy="false"]').waitFor();
  return page;
}

function orderCards(page: Page) {
  return page.getByRole('listitem', { name: /^Order / });
}

async function ordersOf(page: Page): Promise<{ orderId: string; status: string }[]> {
  return page.evaluate(async () => {
    const session = JSON.parse(sessionStorage.getItem('storefront.session') ?? '{}') as {
      accessToken: string;
    };
    const response = await fetch('/api/orders', {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    return ((await response.json()) as { items: { orderId: string; status: string }[] }).items;
  });
}

describe('the storefront in Chromium', () => {
  it('when a new customer registers and orders with a card that is approved, then the order shows CONFIRMED live, with its payment, notification and trace across the services', async () => {
    const page = await newCustomer();
    await page.screenshot({ path: join(screenshots, '1-signed-in.png'), fullPage: true });
    await order(page, 'tok_visa', 2);

    const card = orderCards(page).first();
    await card.getByText('Confirmed.').waitFor({ timeout: sagaMs });
    await expectText(card, /CONFIRMED/);
    await expectText(card, /Trace [0-9a-f]{32}/);
    await card.getByText(/Payment: AUTHORIZED/).waitFor({ timeout: sagaMs });
    await page
      .getByRole('listitem')
      .filter({ hasText: /is confirmed/ })
      .waitFor({ timeout: sagaMs });
    await page.screenshot({ path: join(screenshots, '2-confirmed.png'), fullPage: true });

    // Its trace, as the page draws it: the spans of every service the order went through.
    await card.getByRole('button', { name: /^Show trace/ }).click();
    const caption = page.locator('#trace-caption');
    await eventually(async () => {
      const text = await caption.innerText();
      if (['gateway', 'order', 'inventory', 'payment'].every((service) => text.includes(service)))
        return text;
      await page.getByRole('button', { name: 'Refresh' }).click();
      return undefined;
    }, sagaMs);
    const rows = page.locator('#trace-spans tr');
    await rows.filter({ hasText: 'gateway' }).filter({ hasText: 'POST /api/orders' }).first().waitFor();
    await rows.filter({ hasText: 'payment' }).filter({ hasText: 'authorize-payment' }).first().waitFor();
    await page.screenshot({ path: join(screenshots, '3-trace.png'), fullPage: true });
  });

  it('when the card is declined, then the order shows CANCELLED with the reason', async () => {
    const page = await newCustomer();
    await order(page, 'tok_chargeDeclined');

    const card = orderCards(page).first();
    await card
      .getByText(/Cancelled: the payment was declined \(PAYMENT_DECLINED\)/)
      .waitFor({ timeout: sagaMs });
    await expectText(card, /CANCELLED/);
    await page.screenshot({ path: join(screenshots, '4-declined.png'), fullPage: true });
  });

  it('when the customer double-clicks Place order, then one order is made', async () => {
    const page = await newCustomer();
    const form = page.getByRole('form', { name: 'Place an order' });
    await form.getByLabel('Product').selectOption('TEA-GREEN');
    await form.getByRole('button', { name: 'Place order' }).dblclick();
    await orderCards(page).first().waitFor();
    // Whatever a double click sent has been answered once the button is enabled again.
    await form.getByRole('button', { name: 'Place order' }).and(page.locator(':enabled')).waitFor();

    expect(await ordersOf(page)).toHaveLength(1);
    await expect(orderCards(page).count()).resolves.toBe(1);
    await page.screenshot({ path: join(screenshots, '5-double-click.png'), fullPage: true });
  });

  it('when the admin adds a product and restocks it, then the shop lists it with the new stock', async () => {
    const page = await adminPage();

    const sku = `OOLONG-${Date.now()}`;
    const add = page.getByRole('form', { name: 'Add a product' });
    await add.getByLabel('SKU').fill(sku);
    await add.getByLabel('Name').fill('Oolong');
    await add.getByLabel('Price in cents').fill('850');
    await add.getByLabel('Initial stock').fill('5');
    await add.getByRole('button', { name: 'Add product' }).click();
    await page.getByRole('row').filter({ hasText: sku }).waitFor();

    const restock = page.getByRole('form', { name: 'Restock' });
    await restock.getByLabel('Product').selectOption(sku);
    await restock.getByLabel('Units').fill('7');
    await restock.getByRole('button', { name: 'Restock' }).click();
    // The product list is cache-aside: the restocked figure shows once the cache entry is replaced.
    await eventuallyShown(async () => {
      await page.reload();
      await page.getByRole('row').filter({ hasText: sku }).waitFor();
      return page.getByRole('row').filter({ hasText: sku }).getByRole('cell').last().innerText();
    }, '12');
    await page.screenshot({ path: join(screenshots, '6-admin.png'), fullPage: true });
  });

  it('when the admin turns on the payment provider’s outage, then a customer’s order ends CANCELLED for PAYMENT_UNAVAILABLE', async () => {
    const admin = await adminPage();
    const faults = admin.getByRole('form', { name: 'Payment provider faults' });
    await faults.getByLabel(/Outage/).check();
    await faults.getByRole('button', { name: 'Apply faults' }).click();
    await statusShown(admin, 'Payment provider: outage');
    try {
      const page = await newCustomer();
      await order(page, 'tok_visa');
      const card = orderCards(page).first();
      await card
        .getByText(/Cancelled: the payment provider was unavailable \(PAYMENT_UNAVAILABLE\)/)
        .waitFor({ timeout: sagaMs });
      await page.screenshot({ path: join(screenshots, '7-provider-outage.png'), fullPage: true });
    } finally {
      await faults.getByLabel(/Outage/).uncheck();
      await faults.getByRole('button', { name: 'Apply faults' }).click();
      await statusShown(admin, 'Payment provider: up');
    }
  });

  it('when the page is used with the keyboard only, then every control has a label and focus reaches the forms', async () => {
    const page = await browser.newPage();
    await page.goto(platform.gateway);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select')]
        .filter((control) => !(control as HTMLInputElement).labels?.length)
        .map((control) => control.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await page.keyboard.press('Tab'); // the skip link
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email');
  });
});

/** Waits for the page's status line to say `text`; an error the page shows instead fails at once, naming it. */
async function statusShown(page: Page, text: string): Promise<void> {
  await eventually(async () => {
    const shownError = await page.locator('#error').innerText();
    if (shownError) throw new Error(`the page shows an error: ${shownError}`);
    return (await page.locator('#status').innerText()).includes(text) ? true : undefined;
  }, sagaMs).catch(async (error: unknown) => {
    throw new Error(
      `status "${text}" not shown (${String(error)}); error region: ${await page.locator('#error').innerText()}`,
    );
  });
}

/** Retries `read` until it returns `expected`; the last value read is in the error otherwise. */
async function eventuallyShown(read: () => Promise<string>, expected: string): Promise<void> {
  let last = '';
  await eventually(async () => ((last = await read()) === expected ? true : undefined), sagaMs, 500).catch(
    () => {
      throw new Error(`expected ${expected}, the page showed ${last}`);
    },
  );
}

async function expectText(locator: ReturnType<Page['locator']>, pattern: RegExp): Promise<void> {
  expect(await locator.innerText()).toMatch(pattern);
}
