/**
 * Custom search attributes the case workflow keeps current, for the Temporal Web UI and visibility queries.
 * The dev server registers them at start (`scripts/start.ts`, test helpers); a production cluster registers
 * them once with `temporal operator search-attribute create` (see README).
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair, type TypedSearchAttributes } from '@temporalio/common';
import type { CaseView, CaseWorkflowInput } from '../contract/case';

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

/**
 * The search attributes of a case in one state: the workflow upserts them when they change; the API gives a
 * new case its first ones at start (the view of the case as it opens), so its first task upserts nothing.
 */
export function caseSearchAttributes(v: CaseView, input: Pick<CaseWorkflowInput, 'region' | 'supportId'>): SearchAttributePair[] {
  return [
    { key: CaseSeverity, value: v.level },
    { key: CaseProgram, value: v.entitlement },
    { key: CaseStatus, value: v.status },
    { key: SlaState, value: v.slaState },
    ...(v.nextDueAt ? [{ key: NextDueAt, value: new Date(v.nextDueAt) }] : []),
    { key: CaseRegion, value: v.ownerRegion ?? input.region },
    { key: SupportId, value: input.supportId },
  ] as SearchAttributePair[];
}

const KEYS = [CaseSeverity, CaseProgram, CaseStatus, SlaState, NextDueAt, CaseRegion, SupportId];

/** A comparable form of a case's search attributes (as computed, or as the run holds them). */
export function searchAttributesKey(source: SearchAttributePair[] | TypedSearchAttributes): string {
  const get = (name: string): unknown => {
    if (Array.isArray(source)) return source.find((p) => p.key.name === name)?.value ?? null;
    const key = KEYS.find((k) => k.name === name)!;
    return (source.get(key as never) as unknown) ?? null;
  };
  return JSON.stringify(
    KEYS.map((k) => {
      const v = get(k.name);
      return v instanceof Date ? v.toISOString() : v;
    }),
  );
}
