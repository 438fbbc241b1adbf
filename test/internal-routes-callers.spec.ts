import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { CALLABLE_BY, PUBLIC_CALLBACK } from '@umg/platform';

/** Every HTTP controller file of the services whose APIs are internal. */
function controllerFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.http.controller.ts')) files.push(path);
    }
  };
  for (const service of ['applications', 'payments', 'delivery', 'districts']) {
    walk(join(__dirname, '../services', service, 'src'));
  }
  return files;
}

/** Each route of each controller: whether it names its callers or is a public callback. */
function routes(): { route: string; callers: string[] | undefined; publicCallback: boolean }[] {
  const found = [];
  for (const file of controllerFiles()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(file) as Record<string, unknown>;
    for (const controller of Object.values(exports)) {
      if (typeof controller !== 'function' || Reflect.getMetadata(PATH_METADATA, controller) === undefined) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        found.push({
          route: `${relative(join(__dirname, '..'), file)} ${controller.name}.${name}`,
          callers: (Reflect.getMetadata(CALLABLE_BY, handler) ?? Reflect.getMetadata(CALLABLE_BY, controller)) as
            string[] | undefined,
          publicCallback: Boolean(
            Reflect.getMetadata(PUBLIC_CALLBACK, handler) ?? Reflect.getMetadata(PUBLIC_CALLBACK, controller),
          ),
        });
      }
    }
  }
  return found;
}

describe('internal routes', () => {
  const all = routes();

  it('finds the routes of the four internal services', () => {
    expect(all.length).toBeGreaterThan(25);
  });

  it('each names the services that may call it, or is a public callback (the guard refuses the rest)', () => {
    expect(all.filter((route) => !route.publicCallback && !route.callers?.length).map((route) => route.route)).toEqual(
      [],
    );
  });

  it('has exactly the two public callbacks: payment notifications and back-office answers', () => {
    expect(all.filter((route) => route.publicCallback).map((route) => route.route.split(' ')[1])).toEqual([
      'PaymentNotificationHttpController.receive',
      'ReceiveDecisionHttpController.receive',
    ]);
  });
});
