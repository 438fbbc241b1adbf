import { generateKeyPairSync } from 'node:crypto';
import { chainHash, ExchangeLogSigner, GENESIS_HASH, publicKeysOf, verifySignature } from '@umg/exchange-log';

/**
 * `node dist/tools/exchange-log/signing-benchmark.js [records]`: what signing every record costs
 * on one core, against linking alone: the figure behind signing each record rather than only
 * the head (docs/exchange-log.md).
 */
function main(): void {
  const count = Number(process.argv[2] ?? 20_000);
  const keys = generateKeyPairSync('ed25519');
  const signer = new ExchangeLogSigner(keys.privateKey);
  const publicKey = [...publicKeysOf([keys.publicKey.export({ type: 'spki', format: 'pem' })]).values()][0]!;
  const record = {
    occurredAt: new Date(),
    party: 'district:serdika:certificate:1a2b3c4d5e6f',
    direction: 'inbound' as const,
    operation: 'POST /v1/applications/:applicationId/registration',
    requestId: '5d0b7c8e-1111-4a2b-9c3d-000000000000',
    requestHash: 'f'.repeat(64),
    outcome: '200',
    applicationId: '3f1c2a9e-8b4d-4c1e-9a57-0d2b6e4f7a10',
    districtCode: 'serdika',
  };
  const time = (run: () => void) => {
    const started = process.hrtime.bigint();
    run();
    return Number(process.hrtime.bigint() - started) / 1e3 / count;
  };
  const hashes: string[] = [];
  const signatures: string[] = [];
  const linkUs = time(() => {
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= count; seq++) hashes.push((prev = chainHash(prev, seq, record)));
  });
  const signUs = time(() => {
    for (const hash of hashes) signatures.push(signer.sign(hash));
  });
  const verifyUs = time(() => {
    hashes.forEach((hash, i) => verifySignature(publicKey, hash, signatures[i]!));
  });
  const perSecond = Math.round(1e6 / (linkUs + signUs));
  console.log(
    [
      `records            ${count}`,
      `link (SHA-256)     ${linkUs.toFixed(1)} µs per record`,
      `sign (Ed25519)     ${signUs.toFixed(1)} µs per record`,
      `verify (Ed25519)   ${verifyUs.toFixed(1)} µs per record`,
      `one core           ${perSecond} signed records/s`,
    ].join('\n'),
  );
}

main();
