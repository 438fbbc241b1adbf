import { ProblemException } from '@umg/problem';
import { decodeCursor, encodeCursor } from './dead-letter-cursor';

describe('the dead-letter list cursor', () => {
  it('comes back as it was given: each service’s position, done or absent', () => {
    const cursor = { applications: '42', payments: 'done' } as const;
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(undefined)).toEqual({});
  });

  it.each([
    ['not base64 JSON', 'not-json'],
    ['an array', Buffer.from('[1]').toString('base64url')],
    ['an unknown service', Buffer.from('{"gateway":"1"}').toString('base64url')],
    ['a position that is no id', Buffer.from('{"applications":"1 OR 1=1"}').toString('base64url')],
  ])('refuses %s as validation_failed', (_, text) => {
    const refusal = (() => {
      try {
        decodeCursor(text);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(ProblemException);
    expect((refusal as ProblemException).code).toBe('validation_failed');
    expect((refusal as ProblemException).status).toBe(400);
  });
});
