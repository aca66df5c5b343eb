import type { RunningApp } from '@platform/testing';
import { demoCatalogue } from '../src/products/seed-demo-catalogue';
import {
  InventoryClient,
  type Reply,
  type TestIssuer,
  aNewProduct,
  startEmbeddedInventory,
  startTestIssuer,
} from './support/inventory-client';

describe('catalogue REST API (embedded)', () => {
  let issuer: TestIssuer;
  let inventory: RunningApp;
  let client: InventoryClient;
  let admin: ReturnType<InventoryClient['asAdmin']>;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    inventory = await startEmbeddedInventory(issuer.url);
    client = new InventoryClient(inventory.baseUrl);
    admin = client.asAdmin(await issuer.adminToken());
  });
  afterAll(async () => {
    await inventory.close();
    await issuer.close();
  });

  const expectProblem = (reply: Reply, status: number) => {
    expect(reply.status).toBe(status);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.body).toMatchObject({ status });
  };

  describe('GET /api/products', () => {
    it('when the service started, then the demo catalogue is listed with what is available', async () => {
      const reply = await client.get('/api/products?limit=100');
      expect(reply.status).toBe(200);
      for (const product of demoCatalogue)
        expect(reply.body.items).toContainEqual({
          sku: product.sku,
          name: product.name,
          priceCents: product.priceCents,
          currency: product.currency,
          available: product.initialStock,
        });
    });

    it('when pages are followed by nextCursor, then every product comes once, in sku order, and the last page has null', async () => {
      for (let index = 0; index < 4; index++)
        expect((await admin.createProduct(aNewProduct())).status).toBe(201);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const reply: Reply = await client.get(`/api/products?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(reply.status).toBe(200);
        expect(reply.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...reply.body.items.map((item: { sku: string }) => item.sku));
        cursor = reply.body.nextCursor;
        pages += 1;
      } while (cursor !== null);
      const all = (await client.get('/api/products?limit=100')).body.items.map(
        (item: { sku: string }) => item.sku,
      );
      expect(seen).toEqual(all);
      expect([...seen].sort()).toEqual(seen);
      expect(pages).toBe(Math.ceil(all.length / 3));
    });

    it('when no limit is given, then a page holds at most 20', async () => {
      for (let index = 0; index < 15; index++) await admin.createProduct(aNewProduct());
      const reply = await client.get('/api/products');
      expect(reply.body.items).toHaveLength(20);
      expect(reply.body.nextCursor).toEqual(expect.any(String));
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
    ])('when the query has %s, then it answers 400 naming the field', async (query, field) => {
      const reply = await client.get(`/api/products?${query}`);
      expectProblem(reply, 400);
      expect(reply.body.errors).toEqual([expect.objectContaining({ field })]);
    });

    it('when the cursor was not issued by the service, then it answers 400 invalid-cursor', async () => {
      const reply = await client.get('/api/products?cursor=bm90LWEtY3Vyc29y');
      expectProblem(reply, 400);
      expect(reply.body.type).toBe('/problems/invalid-cursor');
    });
  });

  describe('GET /api/products/{sku}', () => {
    it('when the sku exists, then it answers 200 with the product', async () => {
      const reply = await client.product('TEA-GREEN');
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        sku: 'TEA-GREEN',
        name: 'Green tea, 100 g',
        priceCents: 650,
        currency: 'EUR',
        available: 100,
      });
    });

    it('when the sku is unknown, then it answers 404 problem+json', async () => {
      const reply = await client.product('NO-SUCH-SKU');
      expectProblem(reply, 404);
      expect(reply.body.type).toBe('/problems/product-not-found');
    });
  });

  describe('POST /api/products', () => {
    it('when an admin creates a product, then it answers 201 with it, EUR by default, and it can be read', async () => {
      const product = aNewProduct({ initialStock: 7 });
      const reply = await admin.createProduct(product);
      expect(reply.status).toBe(201);
      const expected = {
        sku: product.sku,
        name: product.name,
        priceCents: product.priceCents,
        currency: 'EUR',
        available: 7,
      };
      expect(reply.body).toEqual(expected);
      expect((await client.product(product.sku)).body).toEqual(expected);
    });

    it('when a currency is given, then it is kept', async () => {
      const reply = await admin.createProduct(aNewProduct({ currency: 'USD' }));
      expect(reply.body.currency).toBe('USD');
    });

    it('when the sku exists, then it answers 409 and the first product stays', async () => {
      const product = aNewProduct({ initialStock: 3 });
      await admin.createProduct(product);
      const reply = await admin.createProduct({ ...product, name: 'Impostor', initialStock: 99 });
      expectProblem(reply, 409);
      expect(reply.body.type).toBe('/problems/duplicate-sku');
      expect((await client.product(product.sku)).body).toMatchObject({ name: product.name, available: 3 });
    });

    it.each([
      ['an unknown field', { reserved: 5 }, 'reserved'],
      ['a negative price', { priceCents: -1 }, 'priceCents'],
      ['a fractional price', { priceCents: 1.5 }, 'priceCents'],
      ['a price above €10,000,000', { priceCents: 1_000_000_001 }, 'priceCents'],
      ['a price of 2^53 - 1', { priceCents: Number.MAX_SAFE_INTEGER }, 'priceCents'],
      ['a negative initial stock', { initialStock: -1 }, 'initialStock'],
      ['a lower-case currency', { currency: 'eur' }, 'currency'],
      ['an empty name', { name: '' }, 'name'],
      ['a name with a control character', { name: 'Green\u0007 tea' }, 'name'],
      ['a sku with a space', { sku: 'A B' }, 'sku'],
      ['a sku with a colon', { sku: 'A:B' }, 'sku'],
    ])(
      'when the body has %s, then it answers 400 naming the field and creates nothing',
      async (_case, override, field) => {
        const product = { ...aNewProduct(), ...override };
        const reply = await admin.createProduct(product);
        expectProblem(reply, 400);
        expect(reply.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
        if (typeof product.sku === 'string' && /^[A-Za-z0-9-]+$/.test(product.sku))
          expect((await client.product(product.sku)).status).toBe(404);
      },
    );

    it('when a field is missing, then it answers 400', async () => {
      const { initialStock: _initialStock, ...withoutStock } = aNewProduct();
      expectProblem(await admin.createProduct(withoutStock), 400);
    });

    it('when the body is not JSON, then it answers 400', async () => {
      const reply = await client.post('/api/products', '{"sku":', {
        authorization: `Bearer ${await issuer.adminToken()}`,
      });
      expectProblem(reply, 400);
    });

    it('when there is no token, then it answers 401 with WWW-Authenticate and creates nothing', async () => {
      const product = aNewProduct();
      const reply = await client.post('/api/products', product);
      expectProblem(reply, 401);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await client.product(product.sku)).status).toBe(404);
    });

    it('when the token is not valid, then it answers 401', async () => {
      const reply = await client.post('/api/products', aNewProduct(), {
        authorization: 'Bearer not.a.token',
      });
      expectProblem(reply, 401);
    });

    it('when a customer tries, then it answers 403 and creates nothing', async () => {
      const product = aNewProduct();
      const reply = await client.post('/api/products', product, {
        authorization: `Bearer ${await issuer.customerToken()}`,
      });
      expectProblem(reply, 403);
      expect((await client.product(product.sku)).status).toBe(404);
    });
  });

  describe('POST /api/products/{sku}/restock', () => {
    it('when an admin restocks, then it answers 200 with the product and more is available', async () => {
      const product = aNewProduct({ initialStock: 2 });
      await admin.createProduct(product);
      const reply = await admin.restock(product.sku, { quantity: 5 });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ sku: product.sku, available: 7 });
      expect((await client.product(product.sku)).body.available).toBe(7);
    });

    it('when the product was read (and cached) before, then the restock is visible at once', async () => {
      const product = aNewProduct({ initialStock: 1 });
      await admin.createProduct(product);
      expect((await client.product(product.sku)).body.available).toBe(1);
      await admin.restock(product.sku, { quantity: 4 });
      expect((await client.product(product.sku)).body.available).toBe(5);
      const listed = (await client.get('/api/products?limit=100')).body.items;
      const all = [...listed];
      let cursor = (await client.get('/api/products?limit=100')).body.nextCursor;
      while (cursor) {
        const page = (await client.get(`/api/products?limit=100&cursor=${cursor}`)).body;
        all.push(...page.items);
        cursor = page.nextCursor;
      }
      expect(all.find((item: { sku: string }) => item.sku === product.sku)?.available).toBe(5);
    });

    it('when the sku is unknown, then it answers 404', async () => {
      expectProblem(await admin.restock('NO-SUCH-SKU', { quantity: 1 }), 404);
    });

    it.each([
      ['zero', { quantity: 0 }],
      ['negative', { quantity: -3 }],
      ['fractional', { quantity: 1.5 }],
      ['a string', { quantity: '5' }],
      ['with an unknown field', { quantity: 1, price: 5 }],
    ])('when the quantity is %s, then it answers 400 and nothing changes', async (_case, body) => {
      const product = aNewProduct({ initialStock: 2 });
      await admin.createProduct(product);
      expectProblem(await admin.restock(product.sku, body), 400);
      expect((await client.product(product.sku)).body.available).toBe(2);
    });

    it('when there is no token, then it answers 401', async () => {
      expectProblem(await client.post('/api/products/TEA-GREEN/restock', { quantity: 1 }), 401);
    });

    it('when a customer tries, then it answers 403 and nothing changes', async () => {
      const product = aNewProduct({ initialStock: 2 });
      await admin.createProduct(product);
      const reply = await client.post(
        `/api/products/${product.sku}/restock`,
        { quantity: 1 },
        {
          authorization: `Bearer ${await issuer.customerToken()}`,
        },
      );
      expectProblem(reply, 403);
      expect((await client.product(product.sku)).body.available).toBe(2);
    });
  });

  describe('operations', () => {
    it('when asked, then /healthz and /readyz answer 200 in the embedded profile', async () => {
      expect((await client.get('/healthz')).status).toBe(200);
      expect((await client.get('/readyz')).status).toBe(200);
    });
  });
});
