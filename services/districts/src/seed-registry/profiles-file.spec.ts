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
    // Oborishte keeps the flat (legacy) form of the SOAP mapping.
    const mapping = profiles.oborishte?.mapping;
    expect(mapping && 'valueMaps' in mapping ? mapping.valueMaps.services?.['2079'] : undefined).toBe('ADR-PA');
  });

  it('refuses a file that needs a variable that is not set', () => {
    expect(() => readProfilesFile(file, {})).toThrow('BACK_OFFICE_JSON_URL');
  });
});
