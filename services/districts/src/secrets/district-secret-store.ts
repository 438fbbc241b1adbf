import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DistrictsInternal } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import type { DistrictsConfig } from '../config';
import { InjectLogger } from '../inject-logger';
import { DistrictRepository } from '../district/district.repository';
import { DISTRICT_SECRET_KEYRING, DISTRICTS_CONFIG } from '../tokens';
import {
  type DistrictSecretKeyring,
  openDistrictSecret,
  sealDistrictSecret,
  secretFingerprint,
} from './district-secret-keyring';

export type DistrictSecretMetadata = DistrictsInternal.components['schemas']['DistrictSecretMetadata'];

interface SecretRow {
  district_code: string;
  version: number;
  key_id: string;
  sealed: string;
  fingerprint: string;
  set_by: string;
  set_at: Date;
  reason: string;
}

/** What an instance holds of one district's secrets, for at most DISTRICT_SECRET_CACHE_MS. */
interface CachedSecrets {
  readAt: number;
  current: string | undefined;
  /** The version before the current one, while its grace period lasts. */
  previous: { secret: string; until: number } | undefined;
}

/**
 * Districts' HMAC secrets, sealed in `districts.district_secret`. Every instance reads them from
 * the database (kept for a couple of seconds), so a rotation reaches every instance without a
 * restart; the previous secret still verifies inbound answers for DISTRICT_SECRET_GRACE_MS.
 * The plain secret leaves this class only to sign or verify: every answer about it is metadata.
 */
@Injectable()
export class DistrictSecretStore {
  private readonly cache = new Map<string, CachedSecrets>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    @Inject(DISTRICT_SECRET_KEYRING) private readonly keyring: DistrictSecretKeyring,
    @Inject(DISTRICTS_CONFIG) private readonly config: DistrictsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** The secret pushes are signed with now; undefined when none is stored. */
  async current(districtCode: string): Promise<string | undefined> {
    return (await this.secrets(districtCode)).current;
  }

  /** The secrets an inbound answer may be signed with: the current one, and the previous during its grace. */
  async verifying(districtCode: string): Promise<string[]> {
    const secrets = await this.secrets(districtCode);
    return [
      ...(secrets.current ? [secrets.current] : []),
      ...(secrets.previous && secrets.previous.until > Date.now() ? [secrets.previous.secret] : []),
    ];
  }

  async metadata(districtCode: string): Promise<DistrictSecretMetadata> {
    await this.districts.get(this.dataSource.manager, districtCode);
    const [row] = await this.rows(this.dataSource.manager, districtCode, 1);
    return toMetadata(districtCode, row);
  }

  /** Sets (or rotates to) a new secret, in the caller's audit trail; answers its metadata. */
  async set(districtCode: string, secret: string, actor: string, reason: string): Promise<DistrictSecretMetadata> {
    const metadata = await this.dataSource.transaction(async (manager) => {
      await this.districts.get(manager, districtCode, { lock: true });
      const [before] = await this.rows(manager, districtCode, 1);
      const row = await this.insert(manager, districtCode, (before?.version ?? 0) + 1, secret, actor, reason);
      await this.districts.audit(manager, {
        districtCode,
        change: 'secret',
        // Metadata only: never the secret, sealed or not.
        before: before ? { version: before.version, fingerprint: before.fingerprint } : null,
        after: { version: row.version, fingerprint: row.fingerprint, keyId: row.key_id },
        actor,
        reason,
      });
      return toMetadata(districtCode, row);
    });
    this.cache.delete(districtCode);
    this.logger.info({ districtCode, version: metadata.version, actor }, 'district secret set');
    return metadata;
  }

  /**
   * At start-up, for a district with none stored: the secret of the environment variable its
   * profile names (the demo and test districts). A stored one always wins.
   */
  async seedFromEnvironment(manager: EntityManager, districtCode: string, variable: string): Promise<boolean> {
    const value = process.env[variable];
    if (!value) return false;
    const [stored] = await this.rows(manager, districtCode, 1);
    if (stored) return false;
    const row = await this.insert(
      manager,
      districtCode,
      1,
      value,
      'system:districts',
      `seeded at start-up from ${variable}`,
    );
    await this.districts.audit(manager, {
      districtCode,
      change: 'secret',
      before: null,
      after: { version: row.version, fingerprint: row.fingerprint, keyId: row.key_id },
      actor: 'system:districts',
      reason: row.reason,
    });
    return true;
  }

  /** At start-up: secrets sealed under an older key of the keyring are sealed again under the current one. */
  async resealUnderCurrentKey(manager: EntityManager): Promise<number> {
    const stale = (await manager.query(`SELECT * FROM districts.district_secret WHERE key_id <> $1 FOR UPDATE`, [
      this.keyring.current.id,
    ])) as SecretRow[];
    for (const row of stale) {
      const context = { districtCode: row.district_code, version: row.version };
      const plain = openDistrictSecret(this.keyring, row.key_id, row.sealed, context);
      const sealed = sealDistrictSecret(this.keyring, plain, context);
      await manager.query(
        `UPDATE districts.district_secret SET key_id = $3, sealed = $4 WHERE district_code = $1 AND version = $2`,
        [row.district_code, row.version, sealed.keyId, sealed.sealed],
      );
    }
    return stale.length;
  }

  private async secrets(districtCode: string): Promise<CachedSecrets> {
    const cached = this.cache.get(districtCode);
    if (cached && Date.now() - cached.readAt < this.config.DISTRICT_SECRET_CACHE_MS) return cached;
    const [current, previous] = await this.rows(this.dataSource.manager, districtCode, 2);
    const open = (row: SecretRow) =>
      openDistrictSecret(this.keyring, row.key_id, row.sealed, { districtCode, version: row.version });
    const secrets: CachedSecrets = {
      readAt: Date.now(),
      current: current ? open(current) : undefined,
      previous:
        current && previous
          ? { secret: open(previous), until: current.set_at.getTime() + this.config.DISTRICT_SECRET_GRACE_MS }
          : undefined,
    };
    this.cache.set(districtCode, secrets);
    return secrets;
  }

  private async rows(manager: EntityManager, districtCode: string, limit: number): Promise<SecretRow[]> {
    return (await manager.query(
      `SELECT * FROM districts.district_secret WHERE district_code = $1 ORDER BY version DESC LIMIT $2`,
      [districtCode, limit],
    )) as SecretRow[];
  }

  private async insert(
    manager: EntityManager,
    districtCode: string,
    version: number,
    secret: string,
    actor: string,
    reason: string,
  ): Promise<SecretRow> {
    const sealed = sealDistrictSecret(this.keyring, secret, { districtCode, version });
    const [row] = (await manager.query(
      `INSERT INTO districts.district_secret (district_code, version, key_id, sealed, fingerprint, set_by, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [districtCode, version, sealed.keyId, sealed.sealed, secretFingerprint(secret), actor, reason],
    )) as SecretRow[];
    return row!;
  }
}

function toMetadata(districtCode: string, row: SecretRow | undefined): DistrictSecretMetadata {
  if (!row)
    return { districtCode, set: false, version: null, fingerprint: null, setAt: null, setBy: null, keyId: null };
  return {
    districtCode,
    set: true,
    version: row.version,
    fingerprint: row.fingerprint,
    setAt: row.set_at.toISOString(),
    setBy: row.set_by,
    keyId: row.key_id,
  };
}
