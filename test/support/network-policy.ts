import type { Manifest } from './kustomize';

/**
 * A small reading of Kubernetes NetworkPolicy semantics, enough to ask the rendered manifests "may
 * this peer reach that pod on that port?": policies select pods by labels; a pod selected by no
 * policy of a direction is open in that direction; otherwise a connection needs a rule of some
 * selecting policy in each direction (egress at the source, ingress at the destination).
 */

type Labels = Record<string, string>;

interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** A pod of the namespace (from a workload's template, or an operator's pods by their labels). */
export interface Pod {
  name: string;
  labels: Labels;
  /** Container ports by name. */
  ports: Record<string, number>;
}

/** Who connects: a pod of this namespace, a pod of another namespace, or an address outside the cluster. */
export type Peer =
  | { kind: 'pod'; pod: Pod }
  | { kind: 'foreign-pod'; namespaceLabels: Labels; labels: Labels }
  | { kind: 'address'; ip: string };

/** Where to: a pod of this namespace on a port (number or the pod's port name), or an outside address. */
export type Destination =
  { kind: 'pod'; pod: Pod; port: number | string } | { kind: 'address'; ip: string; port: number };

interface PolicyPeer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: { port?: number | string; protocol?: string }[];
}

export function matches(selector: Selector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every((expression) => {
    switch (expression.operator) {
      case 'In':
        return expression.values!.includes(labels[expression.key] ?? '\0');
      case 'NotIn':
        return !expression.values!.includes(labels[expression.key] ?? '\0');
      case 'Exists':
        return expression.key in labels;
      case 'DoesNotExist':
        return !(expression.key in labels);
    }
  });
  return byLabel && byExpression;
}

const ipv4 = (ip: string) => ip.split('.').reduce((value, part) => value * 256 + Number(part), 0);

function inCidr(ip: string, cidr: string): boolean {
  if (cidr.includes(':') || ip.includes(':')) return false; // IPv4 only here
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
}

function peerMatches(rulePeer: PolicyPeer, peer: Peer): boolean {
  if (rulePeer.ipBlock) {
    return (
      peer.kind === 'address' &&
      inCidr(peer.ip, rulePeer.ipBlock.cidr) &&
      !(rulePeer.ipBlock.except ?? []).some((except) => inCidr(peer.ip, except))
    );
  }
  if (rulePeer.namespaceSelector) {
    const namespaceLabels =
      peer.kind === 'foreign-pod'
        ? peer.namespaceLabels
        : peer.kind === 'pod'
          ? { 'kubernetes.io/metadata.name': 'umg' }
          : undefined;
    const labels = peer.kind === 'foreign-pod' ? peer.labels : peer.kind === 'pod' ? peer.pod.labels : undefined;
    return (
      namespaceLabels !== undefined &&
      matches(rulePeer.namespaceSelector, namespaceLabels) &&
      matches(rulePeer.podSelector, labels!)
    );
  }
  // A pod selector alone means pods of the policy's own namespace.
  return peer.kind === 'pod' && matches(rulePeer.podSelector, peer.pod.labels);
}

function portMatches(rule: PolicyRule, port: number | string, pod: Pod | undefined): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  const number = typeof port === 'number' ? port : pod?.ports[port];
  return rule.ports.some((entry) => {
    if (entry.port === undefined) return true;
    const wanted = typeof entry.port === 'number' ? entry.port : pod?.ports[entry.port];
    return wanted !== undefined && wanted === number;
  });
}

export class NetworkPolicies {
  private readonly policies: Manifest[];

  constructor(manifests: Manifest[]) {
    this.policies = manifests.filter((manifest) => manifest.kind === 'NetworkPolicy');
  }

  /** The policies that deny everything, both ways, to the pods they select. */
  defaultDenyFor(pod: Pod): Manifest[] {
    return this.selecting(pod, 'Ingress').filter(
      (policy) =>
        (policy.spec.policyTypes as string[]).includes('Egress') &&
        (policy.spec.ingress ?? []).length === 0 &&
        (policy.spec.egress ?? []).length === 0,
    );
  }

  allows(source: Peer, destination: Destination): boolean {
    return this.egressAllows(source, destination) && this.ingressAllows(source, destination);
  }

  private selecting(pod: Pod, direction: 'Ingress' | 'Egress'): Manifest[] {
    return this.policies.filter(
      (policy) =>
        ((policy.spec.policyTypes as string[] | undefined) ?? ['Ingress']).includes(direction) &&
        matches(policy.spec.podSelector as Selector, pod.labels),
    );
  }

  private egressAllows(source: Peer, destination: Destination): boolean {
    if (source.kind !== 'pod') return true; // other namespaces' egress is theirs to decide
    const policies = this.selecting(source.pod, 'Egress');
    if (policies.length === 0) return true;
    const target: Peer =
      destination.kind === 'pod' ? { kind: 'pod', pod: destination.pod } : { kind: 'address', ip: destination.ip };
    const pod = destination.kind === 'pod' ? destination.pod : undefined;
    return policies.some((policy) =>
      ((policy.spec.egress ?? []) as PolicyRule[]).some(
        (rule) =>
          (!rule.to || rule.to.length === 0 || rule.to.some((peer) => peerMatches(peer, target))) &&
          portMatches(rule, destination.port, pod),
      ),
    );
  }

  private ingressAllows(source: Peer, destination: Destination): boolean {
    if (destination.kind !== 'pod') return true;
    const policies = this.selecting(destination.pod, 'Ingress');
    if (policies.length === 0) return true;
    return policies.some((policy) =>
      ((policy.spec.ingress ?? []) as PolicyRule[]).some(
        (rule) =>
          (!rule.from || rule.from.length === 0 || rule.from.some((peer) => peerMatches(peer, source))) &&
          portMatches(rule, destination.port, destination.pod),
      ),
    );
  }
}
