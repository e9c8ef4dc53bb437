/** The done statuses (src/shared/domain.ts) as an SQL list, for queries written in SQL: `status NOT IN (${DONE_SQL})`. */
import { sql } from 'drizzle-orm';
import { DONE_STATUSES } from '../../shared/domain';

// The statuses are constants of the domain, never input: safe to write into the query as literals.
export const DONE_SQL = sql.raw(DONE_STATUSES.map((status) => `'${status}'`).join(', '));
