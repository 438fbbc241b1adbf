import { csvTable } from './csv';

describe('CSV table', () => {
  it('starts with a UTF-8 BOM and ends every record with CRLF', () => {
    const csv = csvTable([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.slice(1)).toBe('a,b\r\nc,d\r\n');
  });

  it('keeps Cyrillic as UTF-8 and quotes separators, quotes and line breaks', () => {
    const csv = csvTable([['Столична община', 'Удостоверение за адрес, "ново"', 'ред\nдва']]);
    expect(csv.slice(1)).toBe('Столична община,"Удостоверение за адрес, ""ново""","ред\nдва"\r\n');
    expect(Buffer.from(csv, 'utf8').toString('utf8')).toBe(csv);
  });

  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['=Кирилица', "'=Кирилица"],
  ])('neutralises a formula-like text cell %j', (cell, written) => {
    expect(csvTable([[cell]]).slice(1)).toBe(`${written}\r\n`);
  });

  it('writes numbers as numbers, null as an empty cell, and leaves ordinary text alone', () => {
    expect(csvTable([[-3, 0.5, null, 'a-b', 'e@mail']]).slice(1)).toBe('-3,0.5,,a-b,e@mail\r\n');
  });
});
