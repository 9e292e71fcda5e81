/** GB/T 2260 province-level prefixes (positions 1–2 of a region code). */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

export type IdentifierCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: IdentifierCheck = { ok: true };
const refuse = (reason: string): IdentifierCheck => ({ ok: false, reason });

/** 6 digits with a known province prefix. Retired codes stay valid: ID numbers keep them for life. */
export function checkRegionCode(code: string): IdentifierCheck {
  if (!/^\d{6}$/.test(code)) return refuse('must be 6 digits');
  if (!PROVINCES.has(code.slice(0, 2))) return refuse(`unknown province prefix ${code.slice(0, 2)}`);
  return OK;
}

export { OK, refuse };
