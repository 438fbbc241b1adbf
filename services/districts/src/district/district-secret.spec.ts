import { districtSecretVariable } from './district-secret';
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

  it('seeds from no other variable, even for a profile stored before the rule', () => {
    expect(districtSecretVariable('DISTRICT_SECRET_TEST_ONLY')).toBe('DISTRICT_SECRET_TEST_ONLY');
    expect(districtSecretVariable('PATH')).toBeUndefined();
    expect(districtSecretVariable(null)).toBeUndefined();
  });
});
