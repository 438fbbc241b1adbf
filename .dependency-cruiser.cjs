/**
 * Module boundaries: services never import each other; libs never import services or tools; the
 * published district API client imports nothing of the repository.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-service-to-service',
      severity: 'error',
      comment: 'A service talks to another only over HTTP or Kafka, never by importing its code.',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'no-lib-to-service',
      severity: 'error',
      comment: 'Shared code must not depend on any service.',
      from: { path: '^libs/' },
      to: { path: '^(services|tools)/' },
    },
    {
      name: 'no-service-to-tools',
      severity: 'error',
      comment: 'Services never import the simulators or dev tools.',
      from: { path: '^services/' },
      to: { path: '^tools/' },
    },
    {
      name: 'client-stands-alone',
      severity: 'error',
      comment:
        'The district API client is published as a package of its own: it imports only itself and its npm dependencies.',
      from: { path: '^clients/([^/]+)/' },
      to: { pathNot: ['^clients/$1/', 'node_modules'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
