/**
 * ETags and If-Match for the entries supervisors keep (SLA policies, UPTs, holidays, working
 * hours): the ETag is the entry's version, which every change raises, so `"7"` names version 7.
 * A PUT with If-Match changes the entry only at a version it names (the condition is part of the
 * UPDATE, or checked under the row lock the write holds), else 412; a PUT without If-Match still
 * changes it, as before, so v1 clients keep working.
 */
import type { Request, Response } from 'express';
import { badRequest, HttpProblem } from './problem.js';

const etagOf = (version: number) => `"${version}"`;

/** Answers with the entry's version as its ETag. */
export function withEtag(res: Response, version: number): Response {
  return res.set('ETag', etagOf(version));
}

/**
 * The versions If-Match accepts: undefined without the header (any version), null for `*` (any,
 * but the entry must exist), else the versions it names (none when it names only weak or foreign tags).
 */
type IfMatch = undefined | null | number[];

const ENTITY_TAG = /^(W\/)?"[\x21\x23-\x7e]*"$/;
const VERSION_TAG = /^"(\d{1,9})"$/;

export function ifMatchOf(req: Request): IfMatch {
  const header = req.get('if-match');
  if (header === undefined) return undefined;
  if (header.trim() === '*') return null;
  const tags = header.split(',').map((tag) => tag.trim());
  if (!tags.every((tag) => ENTITY_TAG.test(tag)))
    throw badRequest('The If-Match header is not valid', [
      { path: 'header.If-Match', message: 'entity tags as the ETag header gives them, such as "3", comma-separated; or *' },
    ]);
  // Strong comparison (RFC 9110, 13.1.1): a weak tag never matches.
  return tags.flatMap((tag) => {
    const version = VERSION_TAG.exec(tag)?.[1];
    return version === undefined ? [] : [Number(version)];
  });
}

/** Whether an entry at `version` (undefined: there is none) meets If-Match. */
export function meets(ifMatch: IfMatch, version: number | undefined): boolean {
  if (ifMatch === undefined) return true;
  return version !== undefined && (ifMatch === null || ifMatch.includes(version));
}

/** The versions an UPDATE may change, as one SQL parameter (`version = ANY($n)`); null when any version may change. */
export const allowedVersions = (ifMatch: IfMatch): number[] | null => ifMatch ?? null;

/** 412: the entry is not at a version If-Match names; its current ETag, when it exists, is sent along. */
export function preconditionFailed(what: string, current: number | undefined): HttpProblem {
  return new HttpProblem(
    412,
    'Precondition Failed',
    current === undefined
      ? `${what} does not exist, so If-Match cannot match`
      : `${what} has changed since it was read (now version ${current}): read it again, then send the change with its ETag`,
    undefined,
    current === undefined ? {} : { ETag: etagOf(current) },
  );
}
