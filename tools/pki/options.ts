import type { Command, OptionTable } from '../cli/options';
import { revocationListDays } from './certificate-authority';

/** `npm run pki -- --help`: the commands and their flags; the environment variables still work. */
export const pkiCommand = {
  usage: 'npm run pki -- <command> [options]',
  summary: `Commands:
  init                          create the gateway CA, server certificate, token key and each service's
                                identity and exchange-log key pairs (services/<service>/), if missing
  issue <district>              issue a district client certificate (key + cert PEM files)
                                [--days N | --not-after ISO] [--client-id ID] [--out DIR]
  list                          issued certificates: serial, district, validity, revoked
  revoke <serial> [--reason T]  revoke a client certificate: signs and publishes the next revocation list
                                (the gateway refuses the certificate within 5 s)
  crl [--days N]                sign and publish a fresh revocation list (valid N days, default ${revocationListDays});
                                run it daily where the CA key lives: a stale list locks certificates out
  oauth-client <district>       add an OAuth client; prints its secret once [--client-id ID] [--scope "..."]
  operator <username> <viewer|operator|administrator> [--oidc-subject SUB]
                                create or update an operator (password from OPERATOR_PASSWORD or stdin);
                                ends the account's open sessions
  disable-operator <username>   disable an operator and end its sessions
The PKI folder holds the CA key: run this where it lives (an administrator's host), never in a gateway pod.`,
  positionals: true,
  options: {
    dir: { type: 'string', env: 'PKI_DIR', description: 'the PKI folder (default .data/pki)' },
    'database-url': {
      type: 'string',
      env: 'DATABASE_URL',
      description: 'the gateway’s database (default the development one)',
    },
    days: { type: 'number', min: 0, description: 'issue: validity in days; crl: the list’s validity (≤ 31)' },
    'not-after': { type: 'string', description: 'issue: the last instant of validity (ISO 8601)' },
    'client-id': { type: 'string', description: 'issue, oauth-client: the client’s identifier' },
    out: { type: 'string', description: 'issue: the folder for the key and certificate' },
    reason: { type: 'string', description: 'revoke: why (keyCompromise, superseded, …)' },
    scope: { type: 'string', description: 'oauth-client: scopes, space-separated (default all the district’s)' },
    'oauth-clients-file': {
      type: 'string',
      env: 'OAUTH_CLIENTS_FILE',
      description: 'oauth-client: the clients file (default in the PKI folder)',
    },
    'oidc-subject': { type: 'string', description: 'operator: bind the account to this subject of --oidc-issuer' },
    'oidc-issuer': {
      type: 'string',
      env: 'OPERATOR_OIDC_ISSUER',
      description: 'operator: the identity provider the subject is of',
    },
  },
  epilogue: 'operator: the password comes from OPERATOR_PASSWORD, else stdin (never a flag: it would show in ps).',
} as const satisfies Command<OptionTable>;
