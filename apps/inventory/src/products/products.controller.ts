import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles, roleProblems } from '@platform/auth';
import { ApiContract, ZodValidationPipe } from '@platform/http';
import { currentTraceContext } from '@platform/messaging';
import { ProductNotFoundError } from '../domain/errors';
import { CreateProduct } from './create-product/create-product';
import { type CreateProductRequest, createProductRequest } from './create-product/create-product.request';
import { decodeCursor, encodeCursor } from './cursor';
import { type ListProductsQuery, listProductsQuery } from './list-products.query';
import { ProductCatalogue } from './product-catalogue';
import { productParams } from './product.params';
import { productResponse, productsPageResponse } from './product.response';
import { RestockProduct } from './restock/restock-product';
import { type RestockRequest, restockRequest } from './restock/restock.request';

@ApiTags('inventory')
@Controller('api/products')
export class ProductsController {
  constructor(
    @Inject(ProductCatalogue) private readonly catalogue: ProductCatalogue,
    @Inject(CreateProduct) private readonly createProduct: CreateProduct,
    @Inject(RestockProduct) private readonly restockProduct: RestockProduct,
  ) {}

  @Get()
  @ApiContract({
    summary: 'The catalogue, by sku, a page at a time',
    query: listProductsQuery,
    success: { status: 200, description: 'A page of products.', body: productsPageResponse },
    problems: { 400: ['validation-failed', 'invalid-cursor'] },
  })
  async list(@Query(new ZodValidationPipe(listProductsQuery)) query: ListProductsQuery) {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const page = await this.catalogue.page(after, query.limit);
    return { items: page.items, nextCursor: page.lastSku === undefined ? null : encodeCursor(page.lastSku) };
  }

  @Get(':sku')
  @ApiContract({
    summary: 'One product, with the stock available to order',
    params: productParams,
    success: { status: 200, description: 'The product.', body: productResponse },
    problems: { 404: ['product-not-found'] },
  })
  async find(@Param('sku') sku: string) {
    const product = await this.catalogue.find(sku);
    if (!product) throw new ProductNotFoundError(sku);
    return product;
  }

  @Post()
  @Roles('admin')
  @ApiContract({
    summary: 'Adds a product with its initial stock (admin)',
    body: createProductRequest,
    bodyExample: { sku: 'TEAPOT-1', name: 'Teapot', priceCents: 2500, currency: 'EUR', initialStock: 10 },
    success: { status: 201, description: 'The new product.', body: productResponse },
    problems: [roleProblems, { 400: ['validation-failed'], 409: ['duplicate-sku'] }],
  })
  create(@Body(new ZodValidationPipe(createProductRequest)) body: CreateProductRequest) {
    return this.createProduct.execute(body, currentTraceContext());
  }

  @Post(':sku/restock')
  @Roles('admin')
  @ApiContract({
    summary: 'Adds stock to a product (admin); each call adds again',
    params: productParams,
    body: restockRequest,
    bodyExample: { quantity: 5 },
    success: { status: 200, description: 'The product, with its new stock.', body: productResponse },
    problems: [
      roleProblems,
      { 400: ['validation-failed'], 404: ['product-not-found'], 503: ['stock-contention'] },
    ],
  })
  restock(@Param('sku') sku: string, @Body(new ZodValidationPipe(restockRequest)) body: RestockRequest) {
    return this.restockProduct.execute(sku, body.quantity, currentTraceContext());
  }
}
