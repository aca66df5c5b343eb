/**
 * The storefront: sign in or register, browse, order (with an Idempotency-Key, so a double submit
 * makes one order), watch each order's status live, its payment and notifications, and its trace;
 * admins add and restock products. Plain DOM over the public API; nothing here the API does not offer.
 */
import { ApiError, call, keepSession, newIdempotencyKey, storedSession, type Session } from './api.js';
import { followStatus, type StatusEvent } from './status-stream.js';
import { showTrace, wireTraceView } from './trace-view.js';

interface Product {
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  available: number;
}

interface Order {
  orderId: string;
  status: StatusEvent['status'];
  items: { sku: string; quantity: number }[];
  totalCents: number;
  currency: string;
  failureReason?: string;
  createdAt: string;
}

interface Profile {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

interface FaultSettings {
  latencyMs: number;
  errorRate: number;
  outage: boolean;
}

interface StorefrontConfig {
  /** Where a trace can be looked at, `{traceId}` replaced; null where no trace UI runs. */
  traceUrl: string | null;
}

const reasons: Record<string, string> = {
  OUT_OF_STOCK: 'not enough stock',
  PAYMENT_DECLINED: 'the payment was declined',
  PAYMENT_UNAVAILABLE: 'the payment provider was unavailable',
  TIMEOUT: 'it was not completed in time',
};

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const formValues = (form: HTMLFormElement) =>
  Object.fromEntries(new FormData(form)) as Record<string, string>;

let config: StorefrontConfig = { traceUrl: null };
/** Trace ids of the orders placed from this tab (the X-Trace-Id of their POST). */
const traceIds = new Map<string, string>();
const following = new Map<string, AbortController>();

function say(message: string): void {
  byId('error').textContent = '';
  byId('status').textContent = message;
}

function fail(error: unknown): void {
  byId('status').textContent = '';
  byId('error').textContent = error instanceof Error ? error.message : String(error);
}

function money(cents: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
}

/** Runs a form's action with its submit button disabled, so a double click submits once. */
function onSubmit(form: HTMLFormElement, action: (values: Record<string, string>) => Promise<void>): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
    if (button?.disabled) return;
    if (button) button.disabled = true;
    action(formValues(form))
      .catch(fail)
      .finally(() => {
        if (button) button.disabled = false;
      });
  });
}

async function signIn(email: string, password: string): Promise<void> {
  const { body } = await call<Session>('POST', '/api/auth/login', { auth: false, body: { email, password } });
  keepSession(body);
  await showSignedIn();
}

async function showSignedIn(): Promise<void> {
  const { body: me } = await call<Profile>('GET', '/api/auth/me');
  byId('account-name').textContent = `${me.name} (${me.email})`;
  const admin = me.roles.includes('admin');
  for (const id of ['nav', 'account', 'shop', 'orders', 'notifications']) byId(id).hidden = false;
  byId('admin-link').hidden = !admin;
  byId('admin').hidden = !admin;
  byId('auth').hidden = true;
  await Promise.all([loadProducts(), loadOrders(), loadNotifications(), ...(admin ? [loadFaults()] : [])]);
}

const faultsPath = '/api/admin/payment-provider/faults';

async function loadFaults(): Promise<void> {
  showFaults((await call<FaultSettings>('GET', faultsPath)).body);
}

function showFaults(faults: FaultSettings): void {
  const form = byId<HTMLFormElement>('faults-form');
  (form.elements.namedItem('outage') as HTMLInputElement).checked = faults.outage;
  (form.elements.namedItem('errorPercent') as HTMLInputElement).value = String(
    Math.round(faults.errorRate * 100),
  );
  (form.elements.namedItem('latencyMs') as HTMLInputElement).value = String(faults.latencyMs);
  // Loaded: until now a change could have been overwritten by the settings arriving.
  form.setAttribute('aria-busy', 'false');
}

async function applyFaults(values: Record<string, string>): Promise<void> {
  const { body } = await call<FaultSettings>('PUT', faultsPath, {
    body: {
      outage: values['outage'] === 'on',
      errorRate: Number(values['errorPercent'] || 0) / 100,
      latencyMs: Number(values['latencyMs'] || 0),
    },
  });
  showFaults(body);
  say(
    `Payment provider: ${body.outage ? 'outage' : 'up'}, ${Math.round(body.errorRate * 100)}% failing, +${body.latencyMs} ms.`,
  );
}

function showSignedOut(): void {
  for (const controller of following.values()) controller.abort();
  following.clear();
  for (const id of ['nav', 'account', 'shop', 'orders', 'notifications', 'admin', 'trace'])
    byId(id).hidden = true;
  byId('auth').hidden = false;
}

async function loadProducts(): Promise<void> {
  const { body } = await call<{ items: Product[] }>('GET', '/api/products?limit=100');
  const rows = body.items.map((product) => {
    const row = element('tr');
    const cells = [
      product.name,
      product.sku,
      money(product.priceCents, product.currency),
      String(product.available),
    ];
    row.append(...cells.map((text) => element('td', text)));
    return row;
  });
  byId('products').replaceChildren(...rows);
  for (const select of [byId<HTMLSelectElement>('order-sku'), byId<HTMLSelectElement>('restock-sku')]) {
    const chosen = select.value;
    select.replaceChildren(
      ...body.items.map((product) => new Option(`${product.name} (${product.sku})`, product.sku)),
    );
    if (chosen) select.value = chosen;
  }
}

async function loadOrders(): Promise<void> {
  const { body } = await call<{ items: Order[] }>('GET', '/api/orders?limit=20');
  byId('order-list').replaceChildren(...body.items.map(orderCard));
  for (const order of body.items) if (order.status === 'PENDING') follow(order.orderId);
}

async function loadNotifications(): Promise<void> {
  const { body } = await call<{ items: { type: string; message: string }[] }>('GET', '/api/notifications');
  byId('notification-list').replaceChildren(...body.items.map(({ message }) => element('li', message)));
}

/** An element with a class and text: the page builds its markup from these, never from strings. */
function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text = '',
  className = '',
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  created.textContent = text;
  if (className) created.className = className;
  return created;
}

function orderCard(order: Order): HTMLLIElement {
  const card = element('li');
  card.id = `order-${order.orderId}`;
  card.setAttribute('aria-label', `Order ${order.orderId}`);
  const items = order.items.map(({ sku, quantity }) => `${quantity} × ${sku}`).join(', ');
  const title = element('p');
  title.append(element('span', '', 'badge'), ` · ${items} · ${money(order.totalCents, order.currency)}`);
  const id = element('p', 'Order ');
  id.append(element('code', order.orderId));
  card.append(title, element('p', '', 'details'), id);
  const traceId = traceIds.get(order.orderId);
  if (traceId) card.append(traceLine(traceId));
  showStatus(card, order.status, order.failureReason);
  return card;
}

function traceLine(traceId: string): HTMLParagraphElement {
  const line = element('p', '', 'trace');
  if (config.traceUrl) {
    const link = element('a', `Trace ${traceId}`);
    link.href = config.traceUrl.replace('{traceId}', traceId);
    link.target = '_blank';
    link.rel = 'noopener';
    line.append(link);
  } else {
    const show = element('button', 'Show trace');
    show.type = 'button';
    show.setAttribute('aria-label', `Show trace ${traceId}`);
    show.addEventListener('click', () => void showTrace(traceId).catch(fail));
    line.append('Trace ', element('code', traceId), ' ', show);
  }
  return line;
}

function showStatus(card: HTMLElement, status: string, failureReason?: string): void {
  card.dataset['status'] = status;
  const badge = card.querySelector('.badge');
  const details = card.querySelector('.details');
  if (badge) badge.textContent = status;
  if (details)
    details.textContent =
      status === 'CANCELLED'
        ? `Cancelled: ${reasons[failureReason ?? ''] ?? failureReason ?? 'no reason given'} (${failureReason})`
        : status === 'PENDING'
          ? 'Waiting for stock and payment…'
          : 'Confirmed.';
}

/** Follows a pending order's stream; when it is final, shows its payment and the new notifications. */
function follow(orderId: string): void {
  if (following.has(orderId)) return;
  const controller = new AbortController();
  following.set(orderId, controller);
  followStatus(
    orderId,
    (event) => {
      const card = document.getElementById(`order-${orderId}`);
      if (card) showStatus(card, event.status, event.failureReason);
      if (event.status !== 'PENDING') {
        say(`Order ${orderId} is ${event.status.toLowerCase()}.`);
        void showPayment(orderId);
        void loadNotifications().catch(fail);
        void loadProducts().catch(fail);
      }
    },
    controller.signal,
  )
    .catch((error: unknown) => {
      if (!controller.signal.aborted) fail(error);
    })
    .finally(() => following.delete(orderId));
}

async function showPayment(orderId: string): Promise<void> {
  const card = document.getElementById(`order-${orderId}`);
  if (!card) return;
  const line = card.querySelector('.payment') ?? card.appendChild(element('p', '', 'payment'));
  try {
    const { body } = await call<{ status: string; amountCents: number; currency: string }>(
      'GET',
      `/api/payments?orderId=${encodeURIComponent(orderId)}`,
    );
    line.textContent = `Payment: ${body.status}, ${money(body.amountCents, body.currency)}`;
  } catch (error) {
    line.textContent =
      error instanceof ApiError && error.status === 404 ? 'Payment: none' : `Payment: ${String(error)}`;
  }
}

/** The key of the order being submitted: kept until an answer arrives, so a resubmission replays it. */
let orderKey: string | undefined;

async function placeOrder(values: Record<string, string>): Promise<void> {
  orderKey ??= newIdempotencyKey();
  const { body, headers } = await call<Order>('POST', '/api/orders', {
    headers: { 'idempotency-key': orderKey },
    body: {
      items: [{ sku: values['sku'], quantity: Number(values['quantity']) }],
      paymentMethod: values['paymentMethod'],
    },
  }).finally(() => (orderKey = undefined));
  const traceId = headers.get('x-trace-id');
  if (traceId) traceIds.set(body.orderId, traceId);
  const list = byId('order-list');
  document.getElementById(`order-${body.orderId}`)?.remove();
  list.prepend(orderCard(body));
  say(`Order ${body.orderId} placed.`);
  follow(body.orderId);
}

async function start(): Promise<void> {
  config = await fetch('/storefront-config.json')
    .then((response) => (response.ok ? (response.json() as Promise<StorefrontConfig>) : config))
    .catch(() => config);
  onSubmit(byId('sign-in-form'), ({ email = '', password = '' }) => signIn(email, password));
  onSubmit(byId('register-form'), async ({ name, email = '', password = '' }) => {
    await call('POST', '/api/auth/register', { auth: false, body: { name, email, password } });
    await signIn(email, password);
    say(`Welcome, ${name}.`);
  });
  onSubmit(byId('order-form'), placeOrder);
  onSubmit(byId('product-form'), async (values) => {
    await call('POST', '/api/products', {
      body: {
        sku: values['sku'],
        name: values['name'],
        priceCents: Number(values['priceCents']),
        initialStock: Number(values['initialStock']),
      },
    });
    say(`Product ${values['sku']} added.`);
    await loadProducts();
  });
  onSubmit(byId('restock-form'), async ({ sku = '', quantity }) => {
    await call('POST', `/api/products/${encodeURIComponent(sku)}/restock`, {
      body: { quantity: Number(quantity) },
    });
    say(`${sku} restocked by ${quantity}.`);
    await loadProducts();
  });
  onSubmit(byId('faults-form'), applyFaults);
  wireTraceView();
  byId('sign-out').addEventListener('click', () => {
    const session = storedSession();
    keepSession(undefined);
    showSignedOut();
    if (session)
      void call('POST', '/api/auth/logout', {
        auth: false,
        body: { refreshToken: session.refreshToken },
      }).catch(() => undefined);
  });
  if (storedSession()) await showSignedIn().catch(() => showSignedOut());
}

void start().catch(fail);
