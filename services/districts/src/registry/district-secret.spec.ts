import { districtSecret } from './district-secret';
import { profileFieldsSchema } from './profile-changes';

describe('credentialsRef', () => {
  it('names only DISTRICT_SECRET_* variables', () => {
    expect(profileFieldsSchema.safeParse({ credentialsRef: 'DISTRICT_SECRET_SREDETS' }).success).toBe(true);
    for (const name of [
      'NODE_ENV',
      'SECRETS_KEY',
      'EXCHANGE_LOG_KEY',
      'HOME',
      'DISTRICT_SECRET_',
      'district_secret_x',
    ]) {
      expect([name, profileFieldsSchema.safeParse({ credentialsRef: name }).success]).toEqual([name, false]);
    }
  });

  it('reads no other variable, even from a profile stored before the rule', () => {
    process.env.DISTRICT_SECRET_TEST_ONLY = 'district-secret';
    expect(districtSecret('DISTRICT_SECRET_TEST_ONLY')).toBe('district-secret');
    expect(districtSecret('PATH')).toBeUndefined();
    expect(districtSecret(null)).toBeUndefined();
    delete process.env.DISTRICT_SECRET_TEST_ONLY;
  });
});
