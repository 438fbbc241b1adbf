import { ApplicationError } from '../lifecycle/application-error';
import { decodeChangeCursor, encodeChangeCursor } from './change-cursor';

describe('change cursor', () => {
  it('reads back what it wrote, and starts at the beginning without one', () => {
    const cursor = encodeChangeCursor({ districtCode: 'iskar', position: 42n });
    expect(decodeChangeCursor(cursor, 'iskar')).toEqual({ districtCode: 'iskar', position: 42n });
    expect(decodeChangeCursor(undefined, 'iskar')).toEqual({ districtCode: 'iskar', position: 0n });
  });

  it('refuses another district’s cursor and mangled ones', () => {
    const foreign = encodeChangeCursor({ districtCode: 'serdika', position: 3n });
    for (const after of [foreign, 'abc', Buffer.from('c1:iskar:-1').toString('base64url'), `${foreign}=`]) {
      expect(() => decodeChangeCursor(after, 'iskar')).toThrow(ApplicationError);
    }
  });
});
