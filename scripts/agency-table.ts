/** `npm run agency -- list` for people: one row per key (an agency without keys gets one row too). */
import type { AgencyListing } from '../api/agencies.js';

const HEADER = ['AGENCY', 'ROLE', 'SCOPE', 'KEY', 'CREATED (WIB)', 'EXPIRES (WIB)', 'STATUS', 'NAME'];

export function agencyTable(agencies: AgencyListing[]): string {
  const rows = agencies.flatMap((agency) => {
    const columns = [agency.agencyId, agency.role, agency.regionCode ?? agency.uptCode ?? '-'];
    if (agency.keys.length === 0) return [[...columns, '-', '-', '-', 'no key', agency.name]];
    return agency.keys.map((key) => [
      ...columns,
      key.keyId,
      minutes(key.createdAt),
      key.expiresAt ? minutes(key.expiresAt) : 'never',
      key.status === 'revoked' ? `revoked ${minutes(key.revokedAt!)}` : key.status,
      agency.name,
    ]);
  });
  const table = [HEADER, ...rows];
  const widths = HEADER.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return table
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `2026-11-27T21:15:03.120+07:00` as `2026-11-27 21:15`: the column header names the zone. */
const minutes = (jakartaIso: string) => jakartaIso.slice(0, 16).replace('T', ' ');
