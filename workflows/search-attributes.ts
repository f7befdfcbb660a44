/**
 * Custom search attributes the case workflow keeps current, for the Temporal Web UI and visibility queries.
 * The dev server registers them at start (`scripts/start.ts`, test helpers); a production cluster registers
 * them once with `temporal operator search-attribute create` (see README).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseSeverity = defineSearchAttributeKey('CaseSeverity', SearchAttributeType.INT);
export const CaseProgram = defineSearchAttributeKey('CaseProgram', SearchAttributeType.KEYWORD);
export const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const SlaState = defineSearchAttributeKey('SlaState', SearchAttributeType.KEYWORD);
export const NextDueAt = defineSearchAttributeKey('NextDueAt', SearchAttributeType.DATETIME);
export const CaseRegion = defineSearchAttributeKey('CaseRegion', SearchAttributeType.KEYWORD);
export const SupportId = defineSearchAttributeKey('SupportId', SearchAttributeType.KEYWORD);

/** name -> CLI type, for `temporal server start-dev --search-attribute NAME=TYPE`. */
export const SEARCH_ATTRIBUTE_TYPES: Record<string, 'Int' | 'Keyword' | 'Datetime'> = {
  CaseSeverity: 'Int',
  CaseProgram: 'Keyword',
  CaseStatus: 'Keyword',
  SlaState: 'Keyword',
  NextDueAt: 'Datetime',
  CaseRegion: 'Keyword',
  SupportId: 'Keyword',
};
