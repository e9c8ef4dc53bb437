import type { Refusal } from '../../shared/rejections';
import type { Wording } from '../../shared/wording';

/**
 * A mutation or request the hub refuses: answered `rejected` (or with an error body) with the reason, a
 * detail where the reason is a code, and the refusal's wording. It is made from a refusal that has both its
 * English and its key (`rejectionOf` / `refusalOf`, src/shared/rejections.ts), so none goes without a key.
 */
export class Rejection extends Error {
  readonly reason: string;
  readonly detail: string | undefined;
  readonly wording: Wording;

  /** `(refusal)`: its English is the reason (the push's refusals); `(code, refusal)`: a code such as `not_found` or `consent`, the English its detail. */
  constructor(refusal: Refusal);
  constructor(code: string, refusal: Refusal);
  constructor(first: string | Refusal, second?: Refusal) {
    const coded = typeof first === 'string';
    const refusal = coded ? second! : first;
    super(coded ? `${first}: ${refusal.text}` : refusal.text);
    this.name = 'Rejection';
    this.reason = coded ? first : refusal.text;
    this.detail = coded ? refusal.text : undefined;
    this.wording = refusal.wording;
  }
}
