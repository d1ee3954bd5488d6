/**
 * The console's accessibility check, shared by the browser tests: Deque's axe rules for WCAG 2.1
 * A and AA, in the page as it stands; a serious or critical violation fails the test, named by rule
 * and element so the failure says what to fix.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Axe finds no serious or critical violation on `page` (only within `include`, a selector, when given). */
export async function expectAccessible(page: Page, include?: string): Promise<void> {
  const builder = new AxeBuilder({ page }).withTags(WCAG_21_AA);
  const { violations } = await (include ? builder.include(include) : builder).analyze();
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
}
