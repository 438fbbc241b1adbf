import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
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
  revocationReason,
  signedRevocationList,
} from './certificate-authority';
import { initExchangeLogKeys } from './exchange-log-keys';
import { publishRevocationList, withGatewayDatabase } from './gateway-database';
import { addOAuthClient } from './oauth-client-file';
import { pkiCommand } from './options';
import { commandLine, helpText } from '../cli/options';

const usage = helpText(pkiCommand);

async function main(): Promise<void> {
  const { values, positionals } = commandLine(pkiCommand);
  const [command, ...args] = positionals;
  const dir = resolve(values.dir ?? join(devLayout.dataDir, 'pki'));
  const databaseUrl = values['database-url'] ?? devLayout.databaseUrl;
  // Key generation and a database round trip can take a while on a busy machine: say what is going on.
  if (command) console.error(`pki: ${command} (PKI folder ${dir})`);
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
        days: values.days,
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
      const days = values.days;
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
      const file = values['oauth-clients-file'] ?? pkiFiles(dir).oauthClients;
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
      const issuer = values['oidc-issuer'];
      if (subject && !issuer)
        throw new Error('--oidc-subject needs --oidc-issuer or OPERATOR_OIDC_ISSUER (the provider the subject is of)');
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
      // No command, or one it does not know: a mistake in the call (--help exits 0 before this).
      console.error(command ? `unknown command "${command}"\n${usage}` : usage);
      process.exitCode = 2;
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
