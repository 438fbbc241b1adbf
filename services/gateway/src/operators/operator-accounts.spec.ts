import type { DataSource } from 'typeorm';
import { hashSecret, needsRehash, verifySecret } from '../auth/secret-hash';
import { OperatorAccounts } from './operator-accounts';

describe('operator accounts: rehash at sign-in (security review F13)', () => {
  it('replaces a hash made with the old scrypt parameters once the password matched', async () => {
    const oldHash = await hashSecret('a password of the old days');
    const queries: { sql: string; parameters: unknown[] }[] = [];
    const dataSource = {
      query: jest.fn(async (sql: string, parameters: unknown[]) => {
        queries.push({ sql, parameters });
        return sql.startsWith('SELECT')
          ? [{ username: 'ivanova', password_hash: oldHash, role: 'operator', demo: false }]
          : [];
      }),
    } as unknown as DataSource;

    const operator = await new OperatorAccounts(dataSource).verifyPassword('ivanova', 'a password of the old days');

    expect(operator).toEqual({ username: 'ivanova', role: 'operator', demo: false });
    const update = queries.find((query) => query.sql.startsWith('UPDATE'))!;
    const [newHash, username, expectedOld] = update.parameters as [string, string, string];
    expect([username, expectedOld]).toEqual(['ivanova', oldHash]);
    expect(needsRehash(newHash)).toBe(false);
    await expect(verifySecret('a password of the old days', newHash)).resolves.toBe(true);
  });

  it('rehashes nothing when the password is wrong', async () => {
    const oldHash = await hashSecret('a password of the old days');
    const query = jest.fn(async (sql: string) =>
      sql.startsWith('SELECT') ? [{ username: 'ivanova', password_hash: oldHash, role: 'operator', demo: false }] : [],
    );

    await expect(
      new OperatorAccounts({ query } as unknown as DataSource).verifyPassword('ivanova', 'a guess'),
    ).resolves.toBeUndefined();
    expect(query.mock.calls.filter(([sql]) => sql.startsWith('UPDATE'))).toEqual([]);
  });
});
