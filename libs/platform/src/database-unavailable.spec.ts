import { ProblemException } from '@umg/problem';
import { databaseUnavailable } from './database-unavailable';

describe('database unavailable as a problem', () => {
  it('answers a pool timeout or a lost connection with 503 and Retry-After', () => {
    for (const error of [
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('x'), { code: '57P01' }),
    ]) {
      const problem = databaseUnavailable(error);
      expect(problem).toBeInstanceOf(ProblemException);
      expect(problem).toMatchObject({ status: 503, code: 'service_unavailable', headers: { 'Retry-After': '1' } });
    }
  });

  it('leaves other errors alone', () => {
    expect(databaseUnavailable(new Error('boom'))).toBeUndefined();
    expect(databaseUnavailable(Object.assign(new Error('unique'), { code: '23505' }))).toBeUndefined();
    expect(databaseUnavailable(new ProblemException(404, 'not_found', 'Not found'))).toBeUndefined();
  });
});
