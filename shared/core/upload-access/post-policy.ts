import '../zod-mini-locale';
import * as z from 'zod/mini';

/**
 * Reads an S3 POST policy (the base64 `Policy` field of a presigned POST) and
 * checks a planned upload against it, so a client can refuse a file S3 would
 * refuse (too large, wrong type, outside the unit's folder) before sending
 * 20 MB over a county office's line, and say why in words.
 * S3 enforces the same policy on its side; this does not replace that.
 */
const ConditionSchema = z.union([
  z.record(z.string(), z.string()),
  z.tuple([z.enum(['eq', 'starts-with']), z.string().check(z.startsWith('$')), z.string()]),
  z.tuple([z.literal('content-length-range'), z.int(), z.int()]),
]);
export const PostPolicySchema = z.object({
  expiration: z.iso.datetime(),
  conditions: z.array(ConditionSchema),
});
export type PostPolicy = z.infer<typeof PostPolicySchema>;

export function decodePostPolicy(policyBase64: string): PostPolicy {
  return PostPolicySchema.parse(JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8')));
}

/** The form fields as S3 sees them (field names are case-insensitive there). */
export type PostForm = Record<string, string>;

/** What the policy says about sizes, for messages and progress bars. */
export function contentLengthRange(policy: PostPolicy): { min: number; max: number } | undefined {
  for (const c of policy.conditions) if (Array.isArray(c) && c[0] === 'content-length-range') return { min: c[1] as number, max: c[2] as number };
  return undefined;
}

/** Every reason S3 would refuse this upload under the policy; empty if it would accept it. */
export function policyViolations(policy: PostPolicy, form: PostForm, fileSize: number, now: Date): string[] {
  const field = (name: string) => {
    const wanted = name.replace(/^\$/, '').toLowerCase();
    return Object.entries(form).find(([k]) => k.toLowerCase() === wanted)?.[1];
  };
  const problems: string[] = [];
  if (now.getTime() >= Date.parse(policy.expiration)) problems.push(`the policy expired at ${policy.expiration}`);
  for (const c of policy.conditions) {
    if (!Array.isArray(c)) {
      for (const [name, value] of Object.entries(c)) if (field(name) !== value) problems.push(`${name} must be "${value}"`);
      continue;
    }
    if (c[0] === 'content-length-range') {
      const [, min, max] = c as [string, number, number];
      if (fileSize < min || fileSize > max) problems.push(`size ${fileSize} bytes is outside ${min}–${max}`);
    } else if (c[0] === 'eq') {
      if (field(c[1] as string) !== c[2]) problems.push(`${(c[1] as string).slice(1)} must be "${c[2]}"`);
    } else if (!(field(c[1] as string) ?? '').startsWith(c[2] as string)) {
      problems.push(`${(c[1] as string).slice(1)} must start with "${c[2]}"`);
    }
  }
  return problems;
}
