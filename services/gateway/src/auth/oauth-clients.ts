import { readFileSync, statSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { gatewayFiles, type GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import { districtScopes } from './district-scope';
import { verifySecret } from './secret-hash';

const clientsFileSchema = z.array(
  z.object({
    clientId: z.string().regex(/^[A-Za-z0-9._-]{3,64}$/),
    secretHash: z.string().startsWith('scrypt$'),
    districtCode: z.string().regex(/^[a-z-]+$/),
    scopes: z.array(z.enum(districtScopes)).min(1),
  }),
);

export type OAuthClient = z.infer<typeof clientsFileSchema>[number];

/** Spent on unknown client ids too, so the answer time does not tell which ids exist. */
const decoyHash = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * The OAuth2 clients of districts that cannot do mutual TLS (OAUTH_CLIENTS_FILE: only scrypt hashes
 * of their secrets). The file is read again when it changes, so a client added or removed by
 * `npm run pki -- oauth-client` counts without a restart.
 */
@Injectable()
export class OAuthClients {
  private clients: OAuthClient[] = [];
  private readAtMtime = -1;

  private readonly file: string | undefined;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.file = gatewayFiles(config).oauthClients;
  }

  /** The client when the secret is right; undefined otherwise. */
  async authenticate(clientId: string, secret: string): Promise<OAuthClient | undefined> {
    const client = this.current().find((candidate) => candidate.clientId === clientId);
    const matches = await verifySecret(secret, client?.secretHash ?? decoyHash);
    return client && matches ? client : undefined;
  }

  private current(): OAuthClient[] {
    const file = this.file;
    if (!file) return [];
    let mtime: number;
    try {
      mtime = statSync(file).mtimeMs;
    } catch {
      return []; // no file: no OAuth clients
    }
    if (mtime !== this.readAtMtime) {
      this.clients = clientsFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      this.readAtMtime = mtime;
    }
    return this.clients;
  }
}
