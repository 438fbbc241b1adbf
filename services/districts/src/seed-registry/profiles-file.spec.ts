import { join } from 'node:path';
import { readProfilesFile } from './profiles-file';

const file = join(__dirname, '../../../../tools/dev/district-profiles.yaml');

describe('the back-office profiles file', () => {
  const env = {
    BACK_OFFICE_JSON_URL: 'http://127.0.0.1:1',
    BACK_OFFICE_SOAP_URL: 'http://127.0.0.1:2',
  };

  it('reads the demo profiles with their endpoints from the environment and a valid SOAP mapping', () => {
    const profiles = readProfilesFile(file, env);
    expect(profiles.sredets).toMatchObject({
      adapterStyle: 'push_json',
      endpoint: 'http://127.0.0.1:1/json/sredets/applications',
    });
    // Parsed by the SOAP mapping's schema, as the adapter style says.
    expect(profiles.oborishte?.mapping).toMatchObject({ valueMaps: { services: { '2079': 'ADR-PA' } } });
  });

  it('refuses a file that needs a variable that is not set', () => {
    expect(() => readProfilesFile(file, {})).toThrow('BACK_OFFICE_JSON_URL');
  });
});
