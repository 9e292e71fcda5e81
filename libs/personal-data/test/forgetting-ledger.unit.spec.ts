import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ForgettingEntry, ForgettingLedger, ledgerRowsLiteral } from '@registry/personal-data';

const entry = (memberId: string, forgottenBy = 'li.admin'): ForgettingEntry => ({
  memberId,
  forgottenAt: '2026-12-01T09:30:00.000Z',
  forgottenBy,
  position: '3221225472',
  streamVersion: 4,
});

describe('the forgetting ledger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'registry-ledger-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends one JSON line per forget, creating the file and its directory, and reads them back in order', () => {
    const ledger = new ForgettingLedger(join(dir, 'state', 'forgotten'));
    expect(ledger.read()).toEqual({ entries: [], tornLastLine: false });
    ledger.record(entry('0b6c1f4e-8a51-4c2e-9d3a-5f1e2a7b9c01'));
    ledger.record(entry('7d2e9a10-3c4b-4f6a-8e1d-2b9c0a5f6e02'));
    expect(readFileSync(ledger.path, 'utf8').split('\n')).toHaveLength(3);
    expect(ledger.read()).toEqual({
      entries: [entry('0b6c1f4e-8a51-4c2e-9d3a-5f1e2a7b9c01'), entry('7d2e9a10-3c4b-4f6a-8e1d-2b9c0a5f6e02')],
      tornLastLine: false,
    });
  });

  it('ignores a last line cut short by a crash, and says so', () => {
    const ledger = new ForgettingLedger(join(dir, 'forgotten'));
    ledger.record(entry('0b6c1f4e-8a51-4c2e-9d3a-5f1e2a7b9c01'));
    appendFileSync(ledger.path, '{"memberId":"7d2e9a10-3c4b');
    expect(ledger.read()).toEqual({ entries: [entry('0b6c1f4e-8a51-4c2e-9d3a-5f1e2a7b9c01')], tornLastLine: true });
  });

  it('refuses a damaged line before the last, naming it', () => {
    const ledger = new ForgettingLedger(join(dir, 'forgotten'));
    ledger.record(entry('0b6c1f4e-8a51-4c2e-9d3a-5f1e2a7b9c01'));
    appendFileSync(ledger.path, '{"memberId":"not-a-uuid"}\n');
    ledger.record(entry('7d2e9a10-3c4b-4f6a-8e1d-2b9c0a5f6e02'));
    expect(() => ledger.read()).toThrow(`forgetting ledger ${ledger.path}: line 2 is not a forget entry`);
  });

  it('quotes the entries for a script, so an actor name cannot end the literal', () => {
    const sql = ledgerRowsLiteral([entry('0b6c1f4e-8a51-4c2e-9d3a-5f1e2a7b9c01', "o'brien'); DROP TABLE x; --")]);
    expect(sql).toBe(
      "SELECT * FROM unnest(ARRAY['0b6c1f4e-8a51-4c2e-9d3a-5f1e2a7b9c01']::text[], ARRAY['o''brien''); DROP TABLE x; --']::text[])",
    );
    expect(ledgerRowsLiteral([])).toBe('SELECT * FROM unnest(ARRAY[]::text[], ARRAY[]::text[])');
  });
});
