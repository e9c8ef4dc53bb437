/**
 * Text made outside the renderer — a hub's refusal, a notice the core writes,
 * a refused form field — travels as a stable key plus parameters beside its
 * English message (as Zammad and Chatwoot do): the renderer words the key in
 * the user's language (src/renderer/src/i18n/wording.ts), logs and scripts
 * keep the English. A key the renderer does not know falls back to the
 * English message, so a newer hub never shows a blank. The hub's refusals
 * are made with their wording (src/shared/rejections.ts); a text that came
 * without one (an older hub's) is shown as it was said.
 */
import { z } from 'zod';

export const WordingParamsSchema = z.record(z.string().max(100), z.union([z.string().max(2000), z.number()]));
export const WordingSchema = z.object({
  /** Dotted, e.g. `policy.hubLocked`, `forbidden.adminsOnly`, `notice.refused`. */
  key: z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+)*$/).max(100),
  params: WordingParamsSchema.optional(),
});
export type Wording = z.infer<typeof WordingSchema>;
export type WordingParams = z.infer<typeof WordingParamsSchema>;

export function wording(key: string, params?: WordingParams): Wording {
  return params ? { key, params } : { key };
}

/** A 403 for a role: `hub.forbiddenRole` with `roles` "admins" or "overseers" (supervisors and admins). */
export function forbiddenRoleWording(roles: readonly string[]): Wording {
  return wording('hub.forbiddenRole', { roles: roles.includes('supervisor') ? 'overseers' : 'admins' });
}

/** A request the hub's schema refused (400, zod's issues in English as the detail). */
export const invalidInputWording = (detail: string): Wording => wording('hub.invalidInput', { detail: detail.slice(0, 2000) });
