import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { loadConfig, refuseDevelopmentSecrets } from '@umg/config';
import { gatewayTopics } from '@umg/messaging';
import { kafkaUserName, strimziKafkaUsers } from '../tools/dev/kafka-users-manifest';
import { applicationsConfigSchema } from '../services/applications/src/config';
import { deliveryConfigSchema } from '../services/delivery/src/config';
import { districtsConfigSchema } from '../services/districts/src/config';
import { gatewayConfigSchema } from '../services/gateway/src/config';
import { paymentsConfigSchema } from '../services/payments/src/config';
import { kustomizeBuild, type Manifest } from './support/kustomize';
import { crdValidators } from './support/kustomize-schemas';
import { type Destination, NetworkPolicies, type Peer, type Pod } from './support/network-policy';

const root = join(__dirname, '..');
const schemas: Record<string, z.ZodObject> = {
  applications: applicationsConfigSchema,
  payments: paymentsConfigSchema,
  delivery: deliveryConfigSchema,
  districts: districtsConfigSchema,
  gateway: gatewayConfigSchema,
};
const portVariable: Record<string, string> = {
  applications: 'APPLICATIONS_PORT',
  payments: 'PAYMENTS_PORT',
  delivery: 'DELIVERY_PORT',
  districts: 'DISTRICTS_PORT',
  gateway: 'GATEWAY_PORT',
};
const managementPortVariable: Record<string, string> = {
  applications: 'APPLICATIONS_MANAGEMENT_PORT',
  payments: 'PAYMENTS_MANAGEMENT_PORT',
  delivery: 'DELIVERY_MANAGEMENT_PORT',
  districts: 'DISTRICTS_MANAGEMENT_PORT',
  gateway: 'GATEWAY_MANAGEMENT_PORT',
};
const callbackPortVariable: Record<string, string> = {
  payments: 'PAYMENTS_CALLBACK_PORT',
  districts: 'DISTRICTS_CALLBACK_PORT',
};
const consumers = ['applications', 'payments', 'delivery', 'districts'];

/**
 * Every pod the manifests make: the workloads' templates, and the operators' pods by the labels
 * CloudNativePG and Strimzi give them.
 */
function podsOf(manifests: Manifest[]): Pod[] {
  const pods: Pod[] = [];
  for (const manifest of manifests) {
    if (['Deployment', 'Job', 'StatefulSet', 'DaemonSet'].includes(manifest.kind)) {
      const template = manifest.spec.template;
      const ports = Object.fromEntries(
        (template.spec.containers as Manifest[]).flatMap((container) =>
          ((container.ports ?? []) as { name: string; containerPort: number }[]).map((port) => [
            port.name,
            port.containerPort,
          ]),
        ),
      );
      pods.push({ name: manifest.metadata.name, labels: template.metadata.labels, ports });
    } else if (manifest.kind === 'Cluster') {
      pods.push({ name: 'postgres', labels: { 'cnpg.io/cluster': manifest.metadata.name }, ports: { postgres: 5432 } });
    } else if (manifest.kind === 'Kafka') {
      pods.push({ name: 'kafka', labels: { 'strimzi.io/cluster': manifest.metadata.name }, ports: { plain: 9092 } });
    }
  }
  return pods;
}

/** The paths the public Ingress may publish, each to the one Service port that serves it. */
const publicPaths: Record<string, { service: string; port: string }> = {
  '/v1/applications': { service: 'gateway', port: 'http' },
  '/oauth/token': { service: 'gateway', port: 'http' },
  '/open-data/': { service: 'gateway', port: 'http' },
  '/docs': { service: 'gateway', port: 'http' },
  '/v1/payment-notifications': { service: 'payments', port: 'callback' },
  '/back-office/': { service: 'districts', port: 'callback' },
};
/** The operators-only Ingress's paths: the console and the operator API, on the gateway's operator port. */
const operatorPaths = ['/console/', '/operator/'];
/** Names whose values are secrets: they must come from a Secret, never from a value or ConfigMap. */
const secretName = /(SECRET|PASSWORD|_KEY|DATABASE_URL)$/;

/** Which services may hold each Secret: a service never gets another one's; shared ones say so. */
const everyService = Object.keys(schemas);
const secretHolders: Record<string, string[]> = {
  'umg-db-app': everyService,
  // Strimzi's cluster CA certificate (public): every service checks the broker with it.
  'umg-kafka-cluster-ca-cert': everyService,
  'umg-secrets-key': ['payments', 'districts'],
  'umg-payment-system': ['payments'],
  'umg-feedback-token': ['applications', 'delivery'],
  'umg-e-delivery-credentials': ['delivery'],
  'umg-district-back-offices': ['districts'],
  'umg-district-secrets-keyring': ['districts'],
  // The keys SOAP pushes are signed with (WS-Security X.509), by key reference of a district's mapping.
  'umg-back-office-signing-keys': ['districts'],
  'umg-gateway-pki': ['gateway'],
  // Each service's own exchange-log signing key and KafkaUser password (Secret umg-<service>).
  ...Object.fromEntries(
    everyService.flatMap((service) => [
      [`umg-exchange-log-${service}`, [service]],
      [`umg-${service}`, [service]],
    ]),
  ),
};
/** What only the signer holds: the CA key, its records, and the districts' own keys. */
const signerOnly = /ca\.key\.pem|issued\.json|revocation-list\.crl|(^|\/)clients(\/|$)|client\.key\.pem/;

interface EnvSource {
  value: string;
  from: 'configMap' | 'secret';
}

/** A Secret's stand-in value: the real ones are created out of band (docs/operations.md). */
function secretValue(name: string, key: string): string {
  if (name.endsWith('-app') && key === 'uri') return 'postgresql://umg:pw@umg-db-rw.umg:5432/umg';
  return `secret-from-${name}-${key}-0123456789`;
}

/** Every variable a container gets, with where it comes from. */
function containerEnv(manifests: Manifest[], container: Manifest): Map<string, EnvSource> {
  const configMap = (name: string) => {
    const found = manifests.find((manifest) => manifest.kind === 'ConfigMap' && manifest.metadata.name === name);
    if (!found) throw new Error(`ConfigMap ${name} is not in the manifests`);
    return found.data as Record<string, string>;
  };
  const env = new Map<string, EnvSource>();
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      for (const [key, value] of Object.entries(configMap(source.configMapRef.name)))
        env.set(key, { value, from: 'configMap' });
    } else if (!source.secretRef) throw new Error('unexpected envFrom source');
  }
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) throw new Error(`${entry.name} is set inline; use the ConfigMap or a Secret`);
    const ref = entry.valueFrom;
    if (ref?.secretKeyRef) {
      env.set(entry.name, { value: secretValue(ref.secretKeyRef.name, ref.secretKeyRef.key), from: 'secret' });
    } else if (ref?.configMapKeyRef) {
      const value = configMap(ref.configMapKeyRef.name)[ref.configMapKeyRef.key];
      if (value === undefined) throw new Error(`${entry.name}: no key ${ref.configMapKeyRef.key}`);
      env.set(entry.name, { value, from: 'configMap' });
    } else throw new Error(`${entry.name}: unknown source`);
  }
  return env;
}

const find = (manifests: Manifest[], kind: string, name: string) =>
  manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);

/** How many pods a service runs at least: its autoscaler's minimum where one scales it, else its Deployment's count. */
const replicasOf = (manifests: Manifest[], name: string): number =>
  find(manifests, 'HorizontalPodAutoscaler', name)?.spec.minReplicas ??
  find(manifests, 'Deployment', name)!.spec.replicas;

/** The memory in MiB of a Kubernetes quantity such as 256Mi or 1Gi. */
const mebibytes = (quantity: string) => Number(quantity.replace(/(Mi|Gi)$/, '')) * (quantity.endsWith('Gi') ? 1024 : 1);

describe.each([
  ['base', 'deploy/k8s/base'],
  ['production overlay', 'deploy/k8s/overlays/production'],
])('Kubernetes manifests: %s', (_, dir) => {
  const manifests = kustomizeBuild(join(root, dir));
  const deployment = (name: string) => find(manifests, 'Deployment', name)!;
  const container = (name: string) => deployment(name).spec.template.spec.containers[0] as Manifest;

  it('deploys every service, in the namespace', () => {
    const deployments = manifests.filter((manifest) => manifest.kind === 'Deployment');
    expect(deployments.map((manifest) => manifest.metadata.name).sort()).toEqual(Object.keys(schemas).sort());
    expect(
      manifests.filter((manifest) => manifest.kind !== 'Namespace' && manifest.metadata.namespace !== 'umg'),
    ).toEqual([]);
  });

  it.each(Object.keys(schemas))('starts %s from a compiled entry point that exists', (name) => {
    expect(container(name).command.at(-1)).toBe(`dist/services/${name}/src/main.js`);
    expect(existsSync(join(root, `services/${name}/src/main.ts`))).toBe(true);
  });

  it.each(Object.keys(schemas))('gives %s only variables its config knows, valid in production', (name) => {
    const env = containerEnv(manifests, container(name));
    const known = Object.keys(schemas[name]!.shape);
    expect([...env.keys()].filter((key) => !known.includes(key))).toEqual([]);
    const values = Object.fromEntries([...env].map(([key, source]) => [key, source.value]));
    expect(values.NODE_ENV).toBe('production');
    // The schema's production rules (no development secrets, PKI files named, Kafka over TLS with an identity, …) hold.
    expect(() => refuseDevelopmentSecrets(loadConfig(schemas[name]!, values) as never)).not.toThrow();
  });

  it.each(Object.keys(schemas))('sets every variable of %s that has no default or a development default', (name) => {
    const env = containerEnv(manifests, container(name));
    const shape = schemas[name]!.shape as Record<string, z.ZodType>;
    const needed = Object.keys(shape).filter((key) => {
      const parsed = shape[key]!.safeParse(undefined);
      if (!parsed.success) return true;
      const fallback = JSON.stringify(parsed.data) ?? '';
      // Defaults that only make sense on a developer's machine.
      return /127\.0\.0\.1|localhost|development/.test(fallback);
    });
    expect(needed.filter((key) => !env.has(key))).toEqual([]);
  });

  it.each(Object.keys(schemas))('takes the secrets of %s from Secrets only', (name) => {
    const env = containerEnv(manifests, container(name));
    const inline = [...env].filter(([key, source]) => secretName.test(key) && source.from !== 'secret');
    expect(inline.map(([key]) => key)).toEqual([]);
    for (const volume of deployment(name).spec.template.spec.volumes ?? []) {
      expect(volume.hostPath).toBeUndefined();
    }
  });

  it.each(Object.keys(schemas))('exposes %s on its configured port, with probes on the health routes', (name) => {
    const env = containerEnv(manifests, container(name));
    const http = container(name).ports.find((port: { name: string }) => port.name === 'http');
    expect(String(http.containerPort)).toBe(env.get(portVariable[name]!)!.value);
    expect(container(name).readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container(name).livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    const service = find(manifests, 'Service', name)!;
    const names = container(name).ports.map((port: { name: string }) => port.name);
    for (const port of service.spec.ports) expect(names).toContain(port.targetPort);
    expect(service.spec.selector).toEqual(deployment(name).spec.selector.matchLabels);
  });

  it('has the health routes the probes call', () => {
    const controller = readFileSync(join(root, 'libs/platform/src/health.controller.ts'), 'utf8');
    expect(controller).toContain("@Controller('health')");
    expect(controller).toContain("@Get('live')");
    expect(controller).toContain("@Get('ready')");
  });

  it('exposes the gateway’s mutual TLS port, and its PKI files from the mounted Secret', () => {
    const env = containerEnv(manifests, container('gateway'));
    const mtls = container('gateway').ports.find((port: { name: string }) => port.name === 'mtls');
    expect(String(mtls.containerPort)).toBe(env.get('GATEWAY_TLS_PORT')!.value);
    const spec = deployment('gateway').spec.template.spec;
    const secretMounts = container('gateway')
      .volumeMounts.filter((mount: { name: string }) =>
        spec.volumes.some((volume: Manifest) => volume.name === mount.name && volume.secret),
      )
      .map((mount: { mountPath: string }) => mount.mountPath);
    for (const key of [...env.keys()].filter((key) => key.endsWith('_FILE'))) {
      const path = env.get(key)!.value;
      expect(secretMounts.some((mount: string) => path.startsWith(`${mount}/`))).toBe(true);
    }
  });

  it.each(Object.keys(schemas))(
    'lets Prometheus scrape %s on its management port, the one that serves /metrics',
    (name) => {
      const env = containerEnv(manifests, container(name));
      const annotations = deployment(name).spec.template.metadata.annotations as Record<string, string>;
      expect(annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/metrics' });
      // Every service's own ports answer 404 for /metrics: its metrics are on the management port only.
      const metricsPort = env.get(managementPortVariable[name]!)!.value;
      expect(annotations['prometheus.io/port']).toBe(metricsPort);
      const management = container(name).ports.find((port: { name: string }) => port.name === 'management');
      expect(String(management.containerPort)).toBe(metricsPort);
    },
  );

  it.each(Object.keys(schemas))('routes no Service to the management port of %s', (name) => {
    const management = container(name).ports.find((port: { name: string }) => port.name === 'management');
    const services = manifests.filter(
      (manifest) => manifest.kind === 'Service' && manifest.spec.selector?.['app.kubernetes.io/name'] === name,
    );
    expect(services.length).toBeGreaterThanOrEqual(1);
    for (const service of services) {
      for (const port of service.spec.ports) {
        expect([port.targetPort, port.port]).not.toContain('management');
        expect(port.port).not.toBe(management.containerPort);
        expect(port.targetPort).not.toBe(management.containerPort);
      }
    }
  });

  it.each(Object.keys(callbackPortVariable))('gives %s a callback port of its own, behind its Service', (name) => {
    const env = containerEnv(manifests, container(name));
    const callback = container(name).ports.find((port: { name: string }) => port.name === 'callback');
    expect(String(callback.containerPort)).toBe(env.get(callbackPortVariable[name]!)!.value);
    const service = find(manifests, 'Service', name)!;
    expect(service.spec.ports).toContainEqual(expect.objectContaining({ name: 'callback', targetPort: 'callback' }));
  });

  it('puts every pod under a policy that denies all traffic in and out by default', () => {
    const policies = new NetworkPolicies(manifests);
    const pods = podsOf(manifests);
    expect(pods.map((pod) => pod.name)).toEqual(expect.arrayContaining([...Object.keys(schemas), 'postgres', 'kafka']));
    expect(pods.filter((pod) => policies.defaultDenyFor(pod).length === 0).map((pod) => pod.name)).toEqual([]);
  });

  describe('network policies allow exactly the paths the system uses', () => {
    const policies = new NetworkPolicies(manifests);
    const pods = podsOf(manifests);
    const pod = (name: string) => pods.find((candidate) => candidate.name === name)!;
    const apps = [...Object.keys(schemas), 'umg-migrate'];
    const inside = (name: string): Peer => ({ kind: 'pod', pod: pod(name) });
    const foreign = (namespace: string, app: string): Peer => ({
      kind: 'foreign-pod',
      namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
      labels: { 'app.kubernetes.io/name': app },
    });
    const to = (name: string, port: string): Destination => ({ kind: 'pod', pod: pod(name), port });
    const portsOf = (name: string) => Object.keys(pod(name).ports);
    const reachable = (from: Peer) =>
      Object.keys(schemas)
        .flatMap((name) => portsOf(name).map((port) => `${name}:${port}`))
        .filter((target) => {
          const [name, port] = target.split(':') as [string, string];
          return policies.allows(from, to(name, port));
        })
        .sort();

    it('between the services: the gateway to the internal APIs, delivery to districts and applications', () => {
      const expected: Record<string, string[]> = {
        gateway: ['applications:http', 'delivery:http', 'districts:http', 'payments:http'],
        delivery: ['applications:http', 'districts:http'],
        applications: [],
        payments: [],
        districts: [],
        'umg-migrate': [],
      };
      for (const from of apps) {
        // The gateway's mutual TLS port is open to every address (the LoadBalancer's clients): left out here.
        const found = reachable(inside(from)).filter((target) => target !== 'gateway:mtls');
        expect([from, found]).toEqual([from, expected[from]]);
      }
    });

    it('every service and the migration to PostgreSQL and Kafka, nothing else to them', () => {
      for (const from of apps) {
        expect([from, policies.allows(inside(from), to('postgres', 'postgres'))]).toEqual([from, true]);
        expect([from, policies.allows(inside(from), to('kafka', 'plain'))]).toEqual([from, true]);
      }
      const stranger = foreign('tenant', 'shell');
      expect(policies.allows(stranger, to('postgres', 'postgres'))).toBe(false);
      expect(policies.allows(stranger, to('kafka', 'plain'))).toBe(false);
    });

    it('from outside: the LoadBalancer to the mutual TLS port; the ingress controller to the operator and callback ports; Prometheus to the management ports', () => {
      const internet: Peer = { kind: 'address', ip: '203.0.113.7' };
      expect(reachable(internet)).toEqual(['gateway:mtls']);
      expect(reachable(foreign('ingress-nginx', 'ingress-nginx'))).toEqual([
        'districts:callback',
        'gateway:http',
        'gateway:mtls',
        'payments:callback',
      ]);
      expect(reachable(foreign('monitoring', 'prometheus'))).toEqual(
        [...Object.keys(schemas).map((name) => `${name}:management`), 'gateway:mtls'].sort(),
      );
      expect(reachable(foreign('tenant', 'shell'))).toEqual(['gateway:mtls']);
    });

    it('HTTPS to the internet only for payments, delivery and districts, and never to private addresses', () => {
      const internet = (ip: string, port: number): Destination => ({ kind: 'address', ip, port });
      const outward = apps.filter((name) => policies.allows(inside(name), internet('203.0.113.7', 443)));
      expect(outward.sort()).toEqual(['delivery', 'districts', 'payments']);
      for (const name of apps) {
        expect([name, policies.allows(inside(name), internet('203.0.113.7', 80))]).toEqual([name, false]);
        expect([name, policies.allows(inside(name), internet('10.0.0.5', 443))]).toEqual([name, false]);
        expect([name, policies.allows(inside(name), internet('169.254.169.254', 443))]).toEqual([name, false]);
      }
    });
  });

  it('publishes only the public paths, each to the port that serves it, and the operators’ paths behind an allow-list', () => {
    const ingresses = manifests.filter((manifest) => manifest.kind === 'Ingress');
    expect(ingresses.length).toBeGreaterThanOrEqual(1);
    const published: string[] = [];
    for (const ingress of ingresses) {
      const operatorsOnly = Boolean(
        ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/whitelist-source-range'],
      );
      expect(ingress.spec.defaultBackend).toBeUndefined();
      for (const rule of ingress.spec.rules) {
        for (const path of rule.http.paths as {
          path: string;
          backend: { service: { name: string; port: { name?: string; number?: number } } };
        }[]) {
          const backend = { service: path.backend.service.name, port: path.backend.service.port.name ?? '' };
          expect(path.path).not.toContain('/internal');
          if (operatorsOnly) {
            expect([path.path, operatorPaths.includes(path.path)]).toEqual([path.path, true]);
            expect(backend).toEqual({ service: 'gateway', port: 'http' });
          } else {
            expect([path.path, backend]).toEqual([path.path, publicPaths[path.path]]);
            published.push(path.path);
          }
        }
      }
    }
    expect(published.sort()).toEqual(Object.keys(publicPaths).sort());
  });

  it('exposes no internal port outside the namespace: only the gateway’s mutual TLS port has a load balancer', () => {
    const outward = manifests.filter(
      (manifest) =>
        manifest.kind === 'Service' &&
        (['LoadBalancer', 'NodePort'].includes(manifest.spec.type) || manifest.spec.externalIPs),
    );
    for (const service of outward) {
      expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'gateway' });
      expect(service.spec.ports.map((port: { targetPort: string }) => port.targetPort)).toEqual(['mtls']);
    }
  });

  it('gives districts its profiles file from the mounted ConfigMap', () => {
    const path = containerEnv(manifests, container('districts')).get('DISTRICT_PROFILES_FILE')!.value;
    const spec = deployment('districts').spec.template.spec;
    const mount = container('districts').volumeMounts.find((entry: { mountPath: string }) =>
      path.startsWith(`${entry.mountPath}/`),
    );
    const volume = spec.volumes.find((entry: Manifest) => entry.name === mount.name);
    const file = find(manifests, 'ConfigMap', volume.configMap.name)!.data[path.slice(mount.mountPath.length + 1)];
    expect(parse(file)).toHaveProperty('districts');
  });

  it('points service URLs inside the cluster at Services on their ports', () => {
    for (const name of Object.keys(schemas)) {
      for (const [key, { value }] of containerEnv(manifests, container(name))) {
        const internal = /^http:\/\/([a-z-]+):(\d+)/.exec(value);
        if (!internal) continue;
        const service = find(manifests, 'Service', internal[1]!);
        expect([key, service?.spec.ports.some((port: { port: number }) => String(port.port) === internal[2])]).toEqual([
          key,
          true,
        ]);
      }
    }
  });

  it('sizes every service from measurement: requests and limits under 512 MiB, heap below the limit', () => {
    for (const name of Object.keys(schemas)) {
      const { requests, limits } = container(name).resources;
      expect([requests.cpu, requests.memory, limits.memory].every(Boolean)).toBe(true);
      expect(mebibytes(limits.memory)).toBeLessThanOrEqual(512);
      expect(mebibytes(requests.memory)).toBeLessThanOrEqual(mebibytes(limits.memory));
      const heap = Number(/--max-old-space-size=(\d+)/.exec(container(name).command.join(' '))![1]);
      expect(heap).toBeLessThan(mebibytes(limits.memory));
    }
  });

  it('keeps one pod of each service through voluntary disruptions, and runs at least two', () => {
    for (const name of Object.keys(schemas)) {
      const budget = find(manifests, 'PodDisruptionBudget', name)!;
      expect(budget.spec.selector.matchLabels).toEqual(deployment(name).spec.selector.matchLabels);
      expect(budget.spec.minAvailable).toBeLessThan(replicasOf(manifests, name));
    }
  });

  it('sets no replicas in a Deployment an autoscaler scales (each apply would reset its count)', () => {
    const scaled = manifests
      .filter((manifest) => manifest.kind === 'HorizontalPodAutoscaler')
      .map((autoscaler) => autoscaler.spec.scaleTargetRef.name as string);
    expect(scaled.sort()).toEqual([...consumers].sort());
    for (const name of scaled) expect([name, deployment(name).spec.replicas]).toEqual([name, undefined]);
    expect(deployment('gateway').spec.replicas).toBeGreaterThanOrEqual(2);
  });

  it('autoscales the consumers, never beyond the partitions of their topics', () => {
    const partitions = Math.min(...gatewayTopics.map((topic) => topic.partitions));
    for (const name of consumers) {
      const autoscaler = find(manifests, 'HorizontalPodAutoscaler', name)!;
      expect(autoscaler.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name });
      expect(autoscaler.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(autoscaler.spec.maxReplicas).toBeLessThanOrEqual(partitions);
    }
  });

  it('runs Kafka with Strimzi’s current API, a pinned Kafka version, and the services bootstrap from it', () => {
    const kafka = manifests.find((manifest) => manifest.kind === 'Kafka')!;
    // Strimzi 1.0 and later serve kafka.strimzi.io/v1 only; 1.2 runs Kafka 4.2–4.3.
    const strimzi = manifests.filter((manifest) => manifest.apiVersion.startsWith('kafka.strimzi.io/'));
    expect(new Set(strimzi.map((manifest) => manifest.apiVersion))).toEqual(new Set(['kafka.strimzi.io/v1']));
    expect(new Set(strimzi.map((manifest) => manifest.kind))).toEqual(
      new Set(['Kafka', 'KafkaNodePool', 'KafkaTopic', 'KafkaUser']),
    );
    expect(kafka.spec.kafka.version).toMatch(/^4\.3\.\d+$/);
    expect(kafka.spec.kafka.metadataVersion).toMatch(/^4\.3-IV\d+$/);
    const pools = manifests.filter((manifest) => manifest.kind === 'KafkaNodePool');
    expect(pools.every((pool) => pool.metadata.labels!['strimzi.io/cluster'] === kafka.metadata.name)).toBe(true);
    expect(pools.flatMap((pool) => pool.spec.roles).sort()).toEqual(['broker', 'controller']);
    const brokers = containerEnv(manifests, container('applications')).get('KAFKA_BROKERS')!.value;
    expect(kafka.spec.kafka.listeners).toHaveLength(1);
    const [listener] = kafka.spec.kafka.listeners;
    expect(brokers).toBe(`${kafka.metadata.name}-kafka-bootstrap:${listener.port}`);
    expect(kafka.spec.kafka.config['auto.create.topics.enable']).toBe(false);
  });

  it('lets no client on Kafka without TLS and a SCRAM identity, and authorizes every request', () => {
    const kafka = manifests.find((manifest) => manifest.kind === 'Kafka')!;
    for (const listener of kafka.spec.kafka.listeners) {
      expect([listener.name, listener.tls, listener.authentication]).toEqual([
        listener.name,
        true,
        { type: 'scram-sha-512' },
      ]);
    }
    expect(kafka.spec.kafka.authorization).toEqual({ type: 'simple' });
    expect(kafka.spec.entityOperator.userOperator).toBeDefined();
  });

  it('has a KafkaUser per service and for the portal, with exactly the ACLs of the table in code', () => {
    // kustomize emits resources ordered by kind and name, so the comparison is by name.
    const byName = (a: { metadata: { name: string } }, b: { metadata: { name: string } }) =>
      a.metadata.name.localeCompare(b.metadata.name);
    const users = manifests.filter((manifest) => manifest.kind === 'KafkaUser').sort(byName);
    const expected = strimziKafkaUsers().map((user) => ({ ...user, metadata: { ...user.metadata, namespace: 'umg' } }));
    expect(users).toEqual(expected.sort(byName));
  });

  it.each(Object.keys(schemas))(
    'connects %s to Kafka as its own KafkaUser, with only its own password mounted',
    (name) => {
      const env = containerEnv(manifests, container(name));
      expect(env.get('KAFKA_SASL_USERNAME')!.value).toBe(kafkaUserName(name as never));
      const passwordFile = env.get('KAFKA_SASL_PASSWORD_FILE')!.value;
      const caFile = env.get('KAFKA_SSL_CA_FILE')!.value;
      const spec = deployment(name).spec.template.spec;
      const secretOf = (file: string) => {
        const mount = container(name).volumeMounts.find((entry: { mountPath: string }) =>
          file.startsWith(`${entry.mountPath}/`),
        );
        return spec.volumes.find((volume: Manifest) => volume.name === mount.name).secret;
      };
      expect(secretOf(passwordFile).secretName).toBe(kafkaUserName(name as never));
      expect(secretOf(caFile).secretName).toBe('umg-kafka-cluster-ca-cert');
      const kafkaUserSecrets = spec.volumes
        .map((volume: Manifest) => volume.secret?.secretName)
        .filter(
          (secret: string | undefined) =>
            secret && /^umg-(gateway|applications|payments|delivery|districts|portal)$/.test(secret),
        );
      expect(kafkaUserSecrets).toEqual([kafkaUserName(name as never)]);
    },
  );

  it('declares every project topic with the contract’s partitions and settings', () => {
    const topics = manifests.filter((manifest) => manifest.kind === 'KafkaTopic');
    const kafka = manifests.find((manifest) => manifest.kind === 'Kafka')!;
    expect(topics.map((topic) => topic.spec.topicName).sort()).toEqual(gatewayTopics.map((topic) => topic.name).sort());
    for (const spec of gatewayTopics) {
      const topic = topics.find((candidate) => candidate.spec.topicName === spec.name)!;
      expect([spec.name, topic.spec.partitions]).toEqual([spec.name, spec.partitions]);
      expect([spec.name, topic.spec.config ?? {}]).toEqual([spec.name, spec.config ?? {}]);
      expect(topic.metadata.labels!['strimzi.io/cluster']).toBe(kafka.metadata.name);
      const largest = Number(spec.config?.['max.message.bytes'] ?? 0);
      expect(kafka.spec.kafka.config['message.max.bytes']).toBeGreaterThanOrEqual(largest);
    }
  });

  it('runs PostgreSQL with CloudNativePG on a pinned PostgreSQL major', () => {
    const cluster = manifests.find((manifest) => manifest.kind === 'Cluster')!;
    expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(cluster.spec.instances).toBeGreaterThanOrEqual(2);
    // The image's tag is a PostgreSQL major (optionally a minor), never `latest` or the operator's default.
    expect(cluster.spec.imageName).toMatch(/^ghcr\.io\/cloudnative-pg\/postgresql:\d{2}(\.\d+)?$/);
  });

  it('backs PostgreSQL up through the Barman Cloud plugin to an ObjectStore, not the deprecated in-tree store', () => {
    const cluster = manifests.find((manifest) => manifest.kind === 'Cluster')!;
    expect(cluster.spec.backup).toBeUndefined();
    const [plugin] = cluster.spec.plugins;
    expect(plugin).toMatchObject({ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true });
    const store = find(manifests, 'ObjectStore', plugin.parameters.barmanObjectName)!;
    expect(store.apiVersion).toBe('barmancloud.cnpg.io/v1');
    expect(store.spec.configuration.destinationPath).toMatch(/^s3:\/\//);
    expect(store.spec.retentionPolicy).toBeTruthy();
    const scheduled = manifests.find((manifest) => manifest.kind === 'ScheduledBackup')!;
    expect(scheduled.spec).toMatchObject({
      cluster: { name: cluster.metadata.name },
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
    });
  });

  it('connects the services to PostgreSQL through CloudNativePG’s app Secret', () => {
    const cluster = manifests.find((manifest) => manifest.kind === 'Cluster')!;
    for (const name of Object.keys(schemas)) {
      const entry = container(name).env.find((candidate: { name: string }) => candidate.name === 'DATABASE_URL');
      // CloudNativePG's generated Secret <cluster>-app holds the owner's connection URI.
      expect(entry.valueFrom.secretKeyRef).toEqual({ name: `${cluster.metadata.name}-app`, key: 'uri' });
    }
  });

  it('mounts no CA key, signer record or district client key into any pod, and no PKI Secret whole', () => {
    const pods = manifests.filter((manifest) => manifest.spec?.template?.spec?.containers);
    expect(pods.length).toBeGreaterThan(Object.keys(schemas).length);
    for (const pod of pods) {
      const spec = pod.spec.template.spec;
      for (const volume of spec.volumes ?? []) {
        if (!volume.secret) continue;
        const items = (volume.secret.items ?? []) as { key: string; path: string }[];
        for (const item of items) {
          expect([pod.metadata.name, item.key, signerOnly.test(item.key) || signerOnly.test(item.path)]).toEqual([
            pod.metadata.name,
            item.key,
            false,
          ]);
        }
        // A PKI Secret is made from a folder holding the CA key: mounted whole it would bring it along.
        if (/pki/.test(volume.secret.secretName))
          expect([volume.secret.secretName, items.length > 0]).toEqual([volume.secret.secretName, true]);
      }
      for (const container of spec.containers as Manifest[]) {
        for (const entry of container.env ?? []) {
          const key = entry.valueFrom?.secretKeyRef?.key ?? '';
          expect([entry.name, signerOnly.test(key)]).toEqual([entry.name, false]);
        }
      }
    }
  });

  it('mounts the gateway exactly the PKI files its config names', () => {
    const env = containerEnv(manifests, container('gateway'));
    const pki = deployment('gateway').spec.template.spec.volumes.find(
      (volume: Manifest) => volume.secret?.secretName === 'umg-gateway-pki',
    );
    const mount = container('gateway').volumeMounts.find((entry: { name: string }) => entry.name === pki.name);
    const named = [...env.entries()]
      .filter(([key, source]) => key.endsWith('_FILE') && source.value.startsWith(`${mount.mountPath}/`))
      .map(([, source]) => source.value.slice(mount.mountPath.length + 1));
    expect(pki.secret.items.map((item: { path: string }) => item.path).sort()).toEqual(named.sort());
    expect(named.sort()).toEqual([
      'ca.cert.pem',
      'oauth-clients.json',
      'oauth-signing.key.pem',
      'server.cert.pem',
      'server.key.pem',
    ]);
  });

  it.each(Object.keys(schemas))('gives %s no other service’s Secret', (name) => {
    const spec = deployment(name).spec.template.spec;
    const used = new Set<string>();
    for (const volume of spec.volumes ?? []) if (volume.secret) used.add(volume.secret.secretName);
    for (const source of container(name).envFrom ?? []) if (source.secretRef) used.add(source.secretRef.name);
    for (const entry of container(name).env ?? []) {
      if (entry.valueFrom?.secretKeyRef) used.add(entry.valueFrom.secretKeyRef.name);
    }
    const foreign = [...used].filter((secret) => !(secretHolders[secret] ?? []).includes(name));
    expect(foreign).toEqual([]);
  });

  it('migrates with the compiled migrate command before services roll', () => {
    const job = find(manifests, 'Job', 'umg-migrate')!;
    const migrate = job.spec.template.spec.containers[0];
    expect(migrate.command).toEqual(['node', 'dist/tools/dev/migrate.js']);
    expect(existsSync(join(root, 'tools/dev/migrate.ts'))).toBe(true);
    expect(migrate.env[0].valueFrom.secretKeyRef.key).toBe('uri');
  });
});

describe('Kubernetes manifests: production overlay changes', () => {
  const base = kustomizeBuild(join(root, 'deploy/k8s/base'));
  const production = kustomizeBuild(join(root, 'deploy/k8s/overlays/production'));

  it('runs more replicas than the base, and keeps everything else', () => {
    for (const name of Object.keys(schemas)) {
      expect([name, replicasOf(production, name)]).toEqual([name, expect.any(Number)]);
      expect(replicasOf(production, name)).toBeGreaterThan(replicasOf(base, name));
    }
    expect(production.length).toBe(base.length);
  });

  it('patches resources without losing the container’s other fields', () => {
    const gateway = find(production, 'Deployment', 'gateway')!.spec.template.spec.containers[0];
    expect(gateway.resources.limits.memory).toBe('384Mi');
    expect(gateway.readinessProbe).toEqual(
      find(base, 'Deployment', 'gateway')!.spec.template.spec.containers[0].readinessProbe,
    );
  });
});

/** Kinds of Kubernetes itself, which no vendored CRD describes (they are checked by the tests above). */
const builtIn = new Set([
  'v1 Namespace',
  'v1 ConfigMap',
  'v1 Service',
  'apps/v1 Deployment',
  'batch/v1 Job',
  'policy/v1 PodDisruptionBudget',
  'autoscaling/v2 HorizontalPodAutoscaler',
  'networking.k8s.io/v1 NetworkPolicy',
  'networking.k8s.io/v1 Ingress',
]);

describe('Kubernetes manifests: custom resources against the operators’ CRD schemas (deploy/k8s/crds)', () => {
  const validators = crdValidators();
  const errorsOf = (manifest: Manifest) => {
    const validate = validators.get(`${manifest.apiVersion} ${manifest.kind}`);
    if (!validate) return [`no served CRD version for ${manifest.apiVersion} ${manifest.kind}`];
    return validate(manifest) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  };

  it.each([
    ['base', 'deploy/k8s/base'],
    ['production overlay', 'deploy/k8s/overlays/production'],
  ])(
    'validates every custom resource of the %s, and makes no kind that is neither built in nor a vendored CRD',
    (_, dir) => {
      const manifests = kustomizeBuild(join(root, dir));
      const custom = manifests.filter((manifest) => !builtIn.has(`${manifest.apiVersion} ${manifest.kind}`));
      expect(new Set(custom.map((manifest) => manifest.kind))).toEqual(
        new Set(['Kafka', 'KafkaNodePool', 'KafkaTopic', 'KafkaUser', 'Cluster', 'ObjectStore', 'ScheduledBackup']),
      );
      const invalid = custom
        .map((manifest) => ({ object: `${manifest.kind}/${manifest.metadata.name}`, errors: errorsOf(manifest) }))
        .filter((result) => result.errors.length > 0);
      expect(invalid).toEqual([]);
    },
  );

  it('rejects what the API server would: a retired API version, an unknown field, a wrong type', () => {
    const manifests = kustomizeBuild(join(root, 'deploy/k8s/base'));
    const kafka = manifests.find((manifest) => manifest.kind === 'Kafka')!;
    const cluster = manifests.find((manifest) => manifest.kind === 'Cluster')!;
    expect(errorsOf({ ...kafka, apiVersion: 'kafka.strimzi.io/v1beta2' })).toEqual([
      'no served CRD version for kafka.strimzi.io/v1beta2 Kafka',
    ]);
    // Removed in v1: the cluster's replicas and storage live in its KafkaNodePools.
    expect(errorsOf({ ...kafka, spec: { ...kafka.spec, kafka: { ...kafka.spec.kafka, replicas: 3 } } })).toEqual([
      '/spec/kafka must NOT have additional properties',
    ]);
    expect(errorsOf({ ...cluster, spec: { ...cluster.spec, instances: 'three' } })).toEqual([
      '/spec/instances must be integer',
    ]);
  });
});
