import { roleAllows } from './operator-role';

describe('operator roles', () => {
  it('lets each role do what the roles below it may, and no more', () => {
    expect(roleAllows('administrator', 'operator')).toBe(true);
    expect(roleAllows('operator', 'operator')).toBe(true);
    expect(roleAllows('operator', 'viewer')).toBe(true);
    expect(roleAllows('viewer', 'operator')).toBe(false);
    expect(roleAllows('operator', 'administrator')).toBe(false);
  });
});
