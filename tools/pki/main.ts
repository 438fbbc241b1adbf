import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type DistrictScope, districtScopes, isDistrictScope } from '../../services/gateway/src/auth/district-scope';
import { normalSerial } from '../../services/gateway/src/auth/district-of-certificate';
import { disableOperator, saveOperator } from '../../services/gateway/src/operators/operator-accounts';
import { isOperatorRole } from '../../services/gateway/src/operators/operator-role';
import { devLayout } from '../dev/local-system';
import {
  initPki,
  issueClientCertificate,
  listIssued,
  pkiFiles,
  revocationListDays,
  revocationReason,
  signedRevocationList,
} from './certificate-authority';
import { initExchangeLogKeys } from './exchange-log-keys';
import { publishRevocationList, withGatewayDatabase } from './gateway-database';
import { addOAuthClient } from './oauth-client-file';

const usage = `npm run pki -- <command> [options]
  init                                  create the gateway CA, server certificate, token key and each
                                        service's identity and exchange-log key pairs
                                        (services/<service>/), if missing
  issue <district> [--days N | --not-after ISO] [--client-id ID] [--out DIR]
                                        issue a district client certificate (key + cert PEM files)
  list                                  issued certificates: serial, district, validity, revoked
  revoke <serial> [--reason TEXT]       revoke a client certificate: signs and publishes the next revocation list
                                        (the gateway refuses the certificate within 5 s)
  crl [--days N]                        sign and publish a fresh revocation list (valid N days, default ${revocationListDays});
                                        run it daily where the CA key lives: a stale list locks certificates out
  oauth-client <district> [--client-id ID] [--scope "applications:read applications:write"]
                                        add an OAuth client; prints its secret once
  operator <username> <viewer|operator|administrator> [--oidc-subject SUB]
                                        create or update an operator (password from OPERATOR_PASSWORD or stdin;
                                        --oidc-subject binds the account to that subject of OPERATOR_OIDC_ISSUER);
                                        ends the account's open sessions
  disable-operator <username>           disable an operator and end its sessions
options: --dir DIR (PKI folder, default .data/pki or PKI_DIR); DATABASE_URL names the database
The PKI folder holds the CA key: run this where it lives (an administrator's host), never in a gateway pod.`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    allowNegative: false,
    options: {
      dir: { type: 'string' },
      days: { type: 'string' },
      'not-after': { type: 'string' },
      'client-id': { type: 'string' },
      out: { type: 'string' },
      reason: { type: 'string' },
      scope: { type: 'string' },
      'oidc-subject': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  const dir = resolve(values.dir ?? process.env.PKI_DIR ?? join(devLayout.dataDir, 'pki'));
  const databaseUrl = process.env.DATABASE_URL ?? devLayout.databaseUrl;
  switch (command) {
    case 'init': {
      const created = [...(await initPki(dir)), ...initExchangeLogKeys(dir)];
      console.log(created.length ? `created:\n  ${created.join('\n  ')}` : `${dir}: complete, nothing to do`);
      return;
    }
    case 'issue': {
      const districtCode = required(args[0], 'district');
      const issued = await issueClientCertificate(dir, {
        districtCode,
        clientId: values['client-id'],
        days: values.days === undefined ? undefined : Number(values.days),
        notAfter: values['not-after'] ? new Date(values['not-after']) : undefined,
        outDir: values.out ? resolve(values.out) : undefined,
      });
      console.log(
        [
          `serial      ${issued.serial}`,
          `district    ${issued.districtCode}`,
          `valid       ${issued.notBefore} … ${issued.notAfter}`,
          `certificate ${issued.certFile}`,
          `key         ${issued.keyFile}`,
        ].join('\n'),
      );
      return;
    }
    case 'list': {
      // The signer's own signed list: what the gateway refuses once it is published.
      const revoked = await signedRevocationList(dir).then(
        (list) => list?.revoked ?? new Map<string, Date>(),
        (error: unknown) => {
          console.error(`(revocations unknown: ${error instanceof Error ? error.message : String(error)})`);
          return undefined;
        },
      );
      console.log(
        ['serial'.padEnd(32), 'district'.padEnd(16), 'not before'.padEnd(24), 'not after'.padEnd(24), 'revoked'].join(
          ' ',
        ),
      );
      for (const issued of listIssued(dir)) {
        const revokedAt = revoked?.get(issued.serial);
        console.log(
          [
            issued.serial.padEnd(32),
            issued.districtCode.padEnd(16),
            issued.notBefore.padEnd(24),
            issued.notAfter.padEnd(24),
            revoked === undefined ? '?' : revokedAt ? revokedAt.toISOString() : '-',
          ].join(' '),
        );
      }
      return;
    }
    case 'revoke': {
      const serial = normalSerial(required(args[0], 'serial'));
      const issued = listIssued(dir).find((certificate) => certificate.serial === serial);
      if (!issued) throw new Error(`serial ${serial} was not issued from ${dir}`);
      const list = await withGatewayDatabase(databaseUrl, (dataSource) =>
        publishRevocationList(dataSource, dir, {
          revoke: {
            serial,
            reason: revocationReason(values.reason),
            districtCode: issued.districtCode,
            reasonText: values.reason ?? 'unspecified',
            revokedBy: userInfo().username,
          },
        }),
      );
      console.log(`revoked ${serial} (${issued.districtCode}); revocation list ${list.crlNumber} published`);
      return;
    }
    case 'crl': {
      const days = values.days === undefined ? undefined : Number(values.days);
      if (days !== undefined && !(days > 0 && days <= 31)) throw new Error('--days must be between 0 and 31');
      const list = await withGatewayDatabase(databaseUrl, (dataSource) =>
        publishRevocationList(dataSource, dir, { days }),
      );
      console.log(
        `revocation list ${list.crlNumber} published: ${list.revoked.size} revoked, current until ${list.nextUpdate.toISOString()}`,
      );
      return;
    }
    case 'oauth-client': {
      const districtCode = required(args[0], 'district');
      const scopes = (values.scope ?? districtScopes.join(' ')).split(/\s+/).filter(Boolean);
      const unknown = scopes.filter((scope) => !isDistrictScope(scope));
      if (unknown.length) throw new Error(`unknown scope(s): ${unknown.join(' ')}; known: ${districtScopes.join(' ')}`);
      const clientId = values['client-id'] ?? `${districtCode}-oauth`;
      const file = process.env.OAUTH_CLIENTS_FILE ?? pkiFiles(dir).oauthClients;
      const secret = await addOAuthClient(file, { clientId, districtCode, scopes: scopes as DistrictScope[] });
      console.log(`client_id     ${clientId}\nclient_secret ${secret}   (shown once; only its hash is in ${file})`);
      return;
    }
    case 'operator': {
      const username = required(args[0], 'username');
      const role = required(args[1], 'role');
      if (!isOperatorRole(role)) throw new Error('role must be viewer, operator or administrator');
      const password = process.env.OPERATOR_PASSWORD ?? readFileSync(0, 'utf8').trim();
      const subject = values['oidc-subject'];
      const issuer = process.env.OPERATOR_OIDC_ISSUER;
      if (subject && !issuer)
        throw new Error('--oidc-subject needs OPERATOR_OIDC_ISSUER (the provider the subject is of)');
      await withGatewayDatabase(databaseUrl, (dataSource) =>
        saveOperator(dataSource, username, role, password || undefined, {
          oidc: subject && issuer ? { issuer, subject } : undefined,
        }),
      );
      console.log(`operator ${username}: ${role}${password ? '' : ' (no password: OIDC sign-in only)'}`);
      return;
    }
    case 'disable-operator': {
      const username = required(args[0], 'username');
      const disabled = await withGatewayDatabase(databaseUrl, (dataSource) => disableOperator(dataSource, username));
      console.log(
        disabled ? `operator ${username}: disabled, sessions ended` : `operator ${username}: no active account`,
      );
      return;
    }
    default:
      console.log(usage);
      if (!values.help) process.exitCode = 2;
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required\n${usage}`);
  return value;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
