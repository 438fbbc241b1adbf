import { maskIdentifier } from './mask-identifier';

describe('maskIdentifier', () => {
  it('keeps only the last four digits of an ЕГН', () => {
    expect(maskIdentifier('7501020018')).toBe('******0018');
  });

  it('keeps the last four of a 13-digit ЕИК', () => {
    expect(maskIdentifier('1234567890123')).toBe('*********0123');
  });

  it('shows nothing of an identifier too short to hide anything', () => {
    expect(maskIdentifier('1234')).toBe('****');
    expect(maskIdentifier('123456')).toBe('****56');
  });
});
