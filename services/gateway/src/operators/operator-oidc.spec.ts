import { AuthenticationError } from '../auth/authentication-error';
import { operatorOfIdentity } from './operator-oidc';

const issuer = 'https://id.sofia.example';
const accounts = {
  byOidcIdentity: jest.fn(async (iss: string, sub: string) =>
    iss === issuer && sub === 'c0ffee-42' ? { username: 'admin.ivanova', role: 'administrator' as const } : undefined,
  ),
};

describe('OIDC identities (security review F11)', () => {
  it('maps the account bound to the issuer and subject', async () => {
    await expect(operatorOfIdentity(accounts, issuer, { iss: issuer, sub: 'c0ffee-42' })).resolves.toEqual({
      username: 'admin.ivanova',
      role: 'administrator',
    });
  });

  it('ignores a username or e-mail claim that names an administrator', async () => {
    const claims = { iss: issuer, sub: 'attacker-1', preferred_username: 'admin.ivanova', email: 'admin.ivanova' };
    await expect(operatorOfIdentity(accounts, issuer, claims)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses a token of another issuer even with a known subject', async () => {
    await expect(
      operatorOfIdentity(accounts, issuer, { iss: 'https://other.example', sub: 'c0ffee-42' }),
    ).rejects.toBeInstanceOf(AuthenticationError);
    expect(accounts.byOidcIdentity).not.toHaveBeenCalledWith('https://other.example', expect.anything());
  });
});
