// Compiles services, libs and tools to dist/ with swc (type checking is `npm run typecheck`),
// and copies the data files the code reads at run time.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';

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
    '**/*.spec.ts,services/gateway/console/**,services/gateway/api-docs/**',
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

// The district API's onboarding kit, served by the gateway at /docs: the page (the renderer comes
// from node_modules at run time), the contract bundled with every $ref resolved, the walkthrough,
// and the TypeScript client packed as district IT installs it.
const apiDocs = join('dist', 'services', 'gateway', 'api-docs');
cpSync(join('services', 'gateway', 'api-docs'), apiDocs, { recursive: true });
cpSync(join('docs', 'district-onboarding.md'), join(apiDocs, 'district-onboarding.md'));
execFileSync(
  'npx',
  [
    '--no-install',
    'redocly',
    'bundle',
    'contracts/openapi/district-api.yaml',
    '-o',
    join(apiDocs, 'district-api.yaml'),
  ],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
);
const contract = YAML.parse(readFileSync(join(apiDocs, 'district-api.yaml'), 'utf8'));
writeFileSync(join(apiDocs, 'district-api.json'), JSON.stringify(contract, null, 2) + '\n');

// The client: compiled with its own tsconfig (CommonJS and declarations), staged with its package
// file (versioned as the contract is) and packed by npm, as it would be for a registry.
const clientStage = join('dist', 'clients', 'district-api');
execFileSync(
  'npx',
  ['--no-install', 'tsc', '-p', 'clients/district-api/tsconfig.json', '--outDir', join(clientStage, 'dist')],
  {
    stdio: 'inherit',
  },
);
const clientPackage = JSON.parse(readFileSync(join('clients', 'district-api', 'package.json'), 'utf8'));
writeFileSync(
  join(clientStage, 'package.json'),
  JSON.stringify({ ...clientPackage, version: contract.info.version }, null, 2) + '\n',
);
cpSync(join('clients', 'district-api', 'README.md'), join(clientStage, 'README.md'));
mkdirSync(join(apiDocs, 'client'), { recursive: true });
const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--silent', '--pack-destination', resolve(apiDocs, 'client')], {
    cwd: clientStage,
    encoding: 'utf8',
  }),
);
renameSync(join(apiDocs, 'client', packed.filename), join(apiDocs, 'client', 'district-api-client.tgz'));
