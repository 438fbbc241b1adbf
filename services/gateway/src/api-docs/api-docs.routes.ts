import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type NextFunction, type Request, type Response, static as serveStatic } from 'express';

// The renderer's files the page loads; nothing else of the package is served.
const swaggerUiFiles = new Set(['/swagger-ui-bundle.js', '/swagger-ui.css']);

/**
 * The district API's onboarding kit at `/docs`: the reference page (Swagger UI from node_modules,
 * started by a script file of its own, so the gateway's CSP stays as strict here as everywhere),
 * the bundled contract (`/docs/district-api.yaml`, `.json`), the walkthrough and the packed
 * TypeScript client (`/docs/client/district-api-client.tgz`). Public on every listener, like the
 * OpenAPI document of any public API: district IT reads it before it has credentials. The files
 * are made by scripts/build.mjs into dist/services/gateway/api-docs.
 */
export function serveApiDocs(app: NestExpressApplication, swaggerUiDirectory: string): void {
  const cached = (response: Response) => response.setHeader('Cache-Control', 'public, max-age=300');
  const renderer = serveStatic(swaggerUiDirectory, { index: false, setHeaders: cached });
  const kit = serveStatic(join(__dirname, '../../api-docs'), {
    index: 'index.html',
    setHeaders: (response, path) => {
      cached(response);
      // The walkthrough as text every browser shows (text/markdown is often offered as a download).
      if (path.endsWith('.md')) response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    },
  });
  app.use('/docs/vendor/swagger-ui', (request: Request, response: Response, next: NextFunction) =>
    swaggerUiFiles.has(request.path) ? renderer(request, response, next) : next(),
  );
  app.use('/docs', kit);
}
