import { decideStatusChange } from './decide-status-change';

const at = (time: string) => new Date(`2026-03-12T${time}:00+02:00`);

describe('deciding whether a reported status changes a payment request', () => {
  it('applies the first status once the request is accepted', () => {
    expect(
      decideStatusChange({ status: 'sending', statusChangedAt: null }, { status: 'pending', changeTime: at('10:00') }),
    ).toBe('apply');
  });

  it('applies a newer status', () => {
    const current = { status: 'pending' as const, statusChangedAt: at('10:00') };
    expect(decideStatusChange(current, { status: 'authorized', changeTime: at('10:05') })).toBe('apply');
    expect(decideStatusChange(current, { status: 'paid', changeTime: at('10:00') })).toBe('apply');
  });

  it('ignores a repeated status, whatever its time', () => {
    const current = { status: 'authorized' as const, statusChangedAt: at('10:05') };
    expect(decideStatusChange(current, { status: 'authorized', changeTime: at('10:05') })).toBe('duplicate');
    expect(decideStatusChange(current, { status: 'authorized', changeTime: at('10:09') })).toBe('duplicate');
  });

  it('ignores a status older than the current one (out of order)', () => {
    const current = { status: 'paid' as const, statusChangedAt: at('10:10') };
    expect(
      decideStatusChange(
        { status: 'authorized', statusChangedAt: at('10:05') },
        { status: 'pending', changeTime: at('10:00') },
      ),
    ).toBe('older');
    expect(decideStatusChange(current, { status: 'authorized', changeTime: at('10:05') })).toBe('paid_is_final');
  });

  it('never moves a paid request, not even by a later status', () => {
    const current = { status: 'paid' as const, statusChangedAt: at('10:10') };
    expect(decideStatusChange(current, { status: 'expired', changeTime: at('23:59') })).toBe('paid_is_final');
    expect(decideStatusChange(current, { status: 'suspended', changeTime: at('11:00') })).toBe('paid_is_final');
  });

  it('keeps a rejected request rejected', () => {
    expect(
      decideStatusChange({ status: 'rejected', statusChangedAt: null }, { status: 'pending', changeTime: at('10:00') }),
    ).toBe('request_rejected');
  });
});
