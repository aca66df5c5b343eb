import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Roles } from '@platform/auth';
import { ZodValidationPipe, openApiSchemaOf } from '@platform/http';
import { currentTraceContext } from '@platform/messaging';
import { ProductNotFoundError } from '../domain/errors';
import { CreateProduct } from './create-product/create-product';
import { type CreateProductRequest, createProductRequest } from './create-product/create-product.request';
import { decodeCursor, encodeCursor } from './cursor';
import { type ListProductsQuery, listProductsQuery } from './list-products.query';
import { ProductCatalogue } from './product-catalogue';
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
  async list(@Query(new ZodValidationPipe(listProductsQuery)) query: ListProductsQuery) {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const page = await this.catalogue.page(after, query.limit);
    return { items: page.items, nextCursor: page.lastSku === undefined ? null : encodeCursor(page.lastSku) };
  }

  @Get(':sku')
  async find(@Param('sku') sku: string) {
    const product = await this.catalogue.find(sku);
    if (!product) throw new ProductNotFoundError(sku);
    return product;
  }

  @ApiBody({ schema: openApiSchemaOf(createProductRequest) })
  @Post()
  @Roles('admin')
  @HttpCode(201)
  create(@Body(new ZodValidationPipe(createProductRequest)) body: CreateProductRequest) {
    return this.createProduct.execute(body, currentTraceContext());
  }

  @ApiBody({ schema: openApiSchemaOf(restockRequest) })
  @Post(':sku/restock')
  @Roles('admin')
  @HttpCode(200)
  restock(@Param('sku') sku: string, @Body(new ZodValidationPipe(restockRequest)) body: RestockRequest) {
    return this.restockProduct.execute(sku, body.quantity, currentTraceContext());
  }
}
