/**
 * The search attributes supervisors filter on in the Temporal UI (docs/api-v1.md; the saved queries are in docs/supervisors.md).
 * None of them may ever carry personal data.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const PpksStage = defineSearchAttributeKey('PpksStage', SearchAttributeType.KEYWORD);
export const PpksType = defineSearchAttributeKey('PpksType', SearchAttributeType.KEYWORD);
export const FoundRegion = defineSearchAttributeKey('FoundRegion', SearchAttributeType.KEYWORD);
export const HomeRegion = defineSearchAttributeKey('HomeRegion', SearchAttributeType.KEYWORD);
export const OwnerRole = defineSearchAttributeKey('OwnerRole', SearchAttributeType.KEYWORD);
export const UptCode = defineSearchAttributeKey('UptCode', SearchAttributeType.KEYWORD);
export const SlaDueAt = defineSearchAttributeKey('SlaDueAt', SearchAttributeType.DATETIME);
export const SlaBreached = defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL);
export const EscalationLevel = defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT);

/** Name and CLI type of each attribute, for registering them on a server (`--search-attribute`). */
export const searchAttributeRegistrations: Record<string, 'Keyword' | 'Datetime' | 'Bool' | 'Int'> = {
  PpksStage: 'Keyword',
  PpksType: 'Keyword',
  FoundRegion: 'Keyword',
  HomeRegion: 'Keyword',
  OwnerRole: 'Keyword',
  UptCode: 'Keyword',
  SlaDueAt: 'Datetime',
  SlaBreached: 'Bool',
  EscalationLevel: 'Int',
};
