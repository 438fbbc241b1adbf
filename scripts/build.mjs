// Compiles services, libs and tools to dist/ with swc (type checking is `npm run typecheck`),
// and copies the data files the code reads at run time.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

rmSync('dist', { recursive: true, force: true });
execFileSync(
  'npx',
  [
    'swc',
    'services',
    'libs',
    'tools',
    '-d',
    'dist',
    '--copy-files',
    '--ignore',
    '**/*.spec.ts,services/gateway/console/**',
    '--quiet',
  ],
  { stdio: 'inherit' },
);
for (const lib of readdirSync('libs')) {
  const data = join('libs', lib, 'data');
  if (existsSync(data)) cpSync(data, join('dist', data), { recursive: true });
}
// The operator console: browser ES modules, copied as they are (never compiled to CommonJS).
cpSync(join('services', 'gateway', 'console'), join('dist', 'services', 'gateway', 'console'), { recursive: true });
// The e-delivery SOAP contract (WSDL, XSDs): the client loads it, the simulator publishes it.
cpSync(join('contracts', 'e-delivery'), join('dist', 'contracts', 'e-delivery'), { recursive: true });
