/** Policy versions as data: list them with their differences, publish a new one (administrators). */
import {
  applyPatch,
  diffPolicy,
  policyProblems,
  versionInForce,
  type DeepPartial,
  type PolicyDocument,
  type PolicyVersion,
} from '../../policy';
import { publishVersion, listVersions, PublishConflict, versionAt } from '../policy/versions-store';
import { STAFF_ROLES } from '../principal';
import { conflict, invalid } from '../problem';
import { defineRoute } from '../route';
import { PolicyVersionSchema, PublishVersionBody } from '../schemas/policy-versions';
import type { Services } from '../services';
import { z } from '../zod';

export function versionView(v: PolicyVersion, previous: PolicyVersion | undefined, inForce: PolicyVersion) {
  return {
    version: v.version,
    key: v.key,
    effectiveAt: new Date(v.effectiveAt).toISOString(),
    note: v.note,
    publishedBy: v.publishedBy,
    inForce: v.version === inForce.version,
    document: v.document,
    changes: previous ? diffPolicy(previous.document, v.document) : [],
  };
}

export function registerPolicyVersionRoutes({ api, db }: Services): void {
  defineRoute(
    api,
    {
      method: 'get',
      path: '/policy/versions',
      tag: 'Policy',
      summary: 'List policy versions',
      description: 'Every version, oldest first, each with its differences to the previous one.',
      roles: STAFF_ROLES,
      response: { status: 200, description: 'The versions', schema: z.object({ items: z.array(PolicyVersionSchema) }) },
    },
    async () => {
      const versions = await listVersions(db);
      const inForce = versionInForce(versions, Date.now());
      return { body: { items: versions.map((v, i) => versionView(v, versions[i - 1], inForce)) } };
    },
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/policy/versions',
      tag: 'Policy',
      summary: 'Publish a policy version',
      description:
        'A full document, or a patch on the version in force. New cases opened at or after effectiveAt pin it; cases already open keep theirs.',
      roles: ['admin'],
      body: PublishVersionBody,
      response: { status: 201, description: 'The published version', schema: PolicyVersionSchema },
      problems: [409, 422],
    },
    async ({ body, principal }) => {
      const now = new Date();
      const base = await versionAt(db, now);
      const document: PolicyDocument = body.document ?? applyPatch(base.document, body.patch as DeepPartial<PolicyDocument>);
      const problems = policyProblems(document);
      if (problems.length > 0)
        throw invalid(problems.map((p) => ({ field: `document.${p.field}`, in: 'body' as const, reason: p.reason })));
      try {
        const published = await publishVersion(
          db,
          { effectiveAt: new Date(body.effectiveAt), document, note: body.note, publishedBy: principal.id },
          now,
        );
        const versions = await listVersions(db);
        const previous = versions.find((v) => v.version === published.version - 1);
        return { status: 201, body: versionView(published, previous, versionInForce(versions, Date.now())) };
      } catch (err) {
        if (err instanceof PublishConflict) throw conflict(err.message, 'policy-version-conflict');
        throw err;
      }
    },
  );
}
