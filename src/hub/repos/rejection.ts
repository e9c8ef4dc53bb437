/** A mutation the hub refuses: answered `rejected` with the reason (and, where the reason is a code, a detail). */
export class Rejection extends Error {
  constructor(
    readonly reason: string,
    readonly detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'Rejection';
  }
}
