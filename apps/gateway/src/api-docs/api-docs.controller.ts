import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { dirname, join } from 'node:path';
import { PublicApiDocument } from './public-api-document';

const uiDirectory = dirname(require.resolve('swagger-ui-dist/package.json'));

/** The only Swagger UI files the page needs: an allow-list, so no path reaches anything else on disk. */
const uiAssets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Platform public API</title>
    <link rel="icon" href="/api/docs/assets/favicon-32x32.png" />
    <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

const init = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui' });\n`;

@ApiExcludeController()
@Controller('api')
export class ApiDocsController {
  constructor(@Inject(PublicApiDocument) private readonly document: PublicApiDocument) {}

  @Get('openapi.json')
  openApi() {
    return this.document.current();
  }

  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  // Scripts only from here (no inline script: init.js is a file); Swagger UI sets inline styles.
  @Header(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
      "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  )
  docs(): string {
    return page;
  }

  @Get('docs/init.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  initScript(): string {
    return init;
  }

  @Get('docs/assets/:file')
  asset(@Param('file') file: string, @Res() response: Response): void {
    const type = uiAssets[file];
    if (!type) throw new NotFoundException();
    response.type(type).sendFile(join(uiDirectory, file));
  }
}
