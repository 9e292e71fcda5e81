import { toCsv } from './csv';

describe('toCsv', () => {
  it('writes a header and rows with CRLF, quoting only where needed', () => {
    const csv = toCsv(
      ['key', 'label', 'units'],
      [
        { key: '310104', label: '徐汇区', units: 3 },
        { key: 'b"1', label: 'a, b', units: null },
        { key: 'multi', label: 'line\nbreak', units: 0 },
      ],
    );
    expect(csv).toBe('key,label,units\r\n310104,徐汇区,3\r\n"b""1","a, b",\r\nmulti,"line\nbreak",0\r\n');
  });
});
