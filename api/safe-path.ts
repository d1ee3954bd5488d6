/**
 * A request path as it may be logged or quoted in an error: a mistyped URL can carry a name or a
 * NIK, so every segment that is not part of the API's own vocabulary, a case number or an alert
 * ID is replaced.
 */
import { SLA_STEPS } from '../domain/case.js';
import { ACCESS_MATRIX } from './access.js';

const VOCABULARY = new Set([
  ...Object.values(ACCESS_MATRIX).flatMap(({ endpoint }) => endpoint.split(' ')[1]!.split('/')),
  ...SLA_STEPS,
  'openapi.json',
  'docs',
  'healthz',
  'readyz',
  'login',
  '',
]);
const CASE_NUMBER_OR_ALERT_ID = /^(\d{4}-\d{4}-\d{6}|\d{1,12})$/;

export function safePath(path: string): string {
  return path
    .split('?')[0]!
    .split('/')
    .map((segment) => (VOCABULARY.has(segment) || CASE_NUMBER_OR_ALERT_ID.test(segment) ? segment : '{redacted}'))
    .join('/')
    .slice(0, 200);
}
