import { createHash } from 'node:crypto';
import { fileNameFromContentDisposition, sha256FromReprDigest } from './http-headers';

describe('sha256FromReprDigest', () => {
  const digest = createHash('sha256').update('hello').digest();

  it('reads the sha-256 of an RFC 9530 header as hex', () => {
    expect(sha256FromReprDigest(`sha-256=:${digest.toString('base64')}:`)).toBe(digest.toString('hex'));
    expect(sha256FromReprDigest(`sha-512=:AAAA:, sha-256=:${digest.toString('base64')}:`)).toBe(digest.toString('hex'));
  });

  it('has nothing for a missing, other or malformed digest', () => {
    expect(sha256FromReprDigest(null)).toBeUndefined();
    expect(sha256FromReprDigest('sha-512=:AAAA:')).toBeUndefined();
    expect(sha256FromReprDigest('sha-256=:AAAA:')).toBeUndefined();
  });
});

describe('fileNameFromContentDisposition', () => {
  it('prefers filename* and decodes it', () => {
    expect(fileNameFromContentDisposition(`attachment; filename="x.pdf"; filename*=UTF-8''%D1%83%D0%B4.pdf`)).toBe(
      'уд.pdf',
    );
  });

  it('takes a plain filename and drops any path', () => {
    expect(fileNameFromContentDisposition('attachment; filename="../../etc/result.pdf"')).toBe('result.pdf');
    expect(fileNameFromContentDisposition('attachment')).toBeUndefined();
  });
});
