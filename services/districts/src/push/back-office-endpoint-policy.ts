import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a back office may not resolve to unless its host is allow-listed: this machine,
 * private networks, link-local (cloud metadata at 169.254.169.254), carrier NAT, multicast,
 * reserved and unspecified addresses.
 */
const nonPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is loopback, private, link-local or otherwise not a public internet address. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isNonPublicAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 0) return true;
  return nonPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface EndpointPolicySettings {
  /** Hosts (as written in the endpoint URL) that may resolve to non-public addresses. */
  privateHosts: string[];
  /** Hosts that may be called over plain http (development and test only). */
  httpHosts: string[];
}

/** Why an endpoint is refused. */
export class EndpointRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointRefused';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Where a district's pushes may go: https only (plain http only for hosts on an explicit
 * development/test list), and only to public addresses unless the host is allow-listed. The name
 * is checked when the endpoint is set and every address it resolves to is checked again at connect
 * time, so DNS that changes after the check (rebinding) cannot point a push inwards.
 */
export class BackOfficeEndpointPolicy {
  private readonly privateHosts: Set<string>;
  private readonly httpHosts: Set<string>;

  constructor(settings: EndpointPolicySettings) {
    const normalise = (hosts: string[]) => new Set(hosts.map((host) => host.trim().toLowerCase()).filter(Boolean));
    this.privateHosts = normalise(settings.privateHosts);
    this.httpHosts = normalise(settings.httpHosts);
  }

  /** The reason the endpoint is refused, or undefined; checks what the URL says, not where it resolves. */
  problemOf(endpoint: string): string | undefined {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return 'not a URL';
    }
    const host = hostOf(url);
    if (url.username || url.password) return 'credentials in the URL are not allowed';
    if (url.protocol === 'http:') {
      if (!this.httpHosts.has(host)) return 'plain http is not allowed; use https';
    } else if (url.protocol !== 'https:') {
      return `the scheme ${url.protocol} is not allowed; use https`;
    }
    if (isIP(host) && isNonPublicAddress(host) && !this.privateHosts.has(host)) {
      return `${host} is not a public address`;
    }
    if (!isIP(host) && (host === 'localhost' || host.endsWith('.localhost')) && !this.privateHosts.has(host)) {
      return `${host} is not a public host`;
    }
    return undefined;
  }

  /** Throws EndpointRefused when the endpoint may not be called. */
  check(endpoint: string): URL {
    const problem = this.problemOf(endpoint);
    if (problem) throw new EndpointRefused(`endpoint refused: ${problem}`);
    return new URL(endpoint);
  }

  /** A `lookup` for node:http(s) that refuses the connection when any resolved address is not public. */
  lookupFor(url: URL) {
    const allowPrivate = this.privateHosts.has(hostOf(url));
    return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
      dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
        if (error) return callback(error, []);
        const refused = allowPrivate ? undefined : addresses.find((entry) => isNonPublicAddress(entry.address));
        if (refused) {
          return callback(new EndpointRefused(`endpoint refused: ${hostname} resolves to ${refused.address}`), []);
        }
        if (options.all) return callback(null, addresses);
        const [first] = addresses;
        if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
        callback(null, first.address, first.family);
      });
    };
  }
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}
