/**
 * docs/operations.md tells an operator which search attributes to register on Temporal Cloud or a
 * secured cluster: exactly the ones the workflows set (workflows/search-attributes.ts), with their types.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { searchAttributeRegistrations } from '../../workflows/search-attributes.js';

it('the search attributes to register in docs/operations.md are those of workflows/search-attributes.ts', () => {
  const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const command = doc.match(/temporal operator search-attribute create --namespace \S+ \\\n((?:\s+--name \S+ --type \S+(?: \\)?\n)+)/);
  expect(command, 'the registration command').not.toBeNull();
  const listed = [...command![1]!.matchAll(/--name (\S+) --type (\S+)/g)].map(([, name, type]) => [name, type]);
  expect(Object.fromEntries(listed)).toEqual(searchAttributeRegistrations);
  expect(listed).toHaveLength(Object.keys(searchAttributeRegistrations).length);
});
