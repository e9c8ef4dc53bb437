/**
 * The knowledge base, whole, in the cache: a technician offline gets the
 * same suggestions as an agent online. Suggestions rank by what the case
 * shares with an article — its tags, its device's model, words of its subject.
 */
import type { Article, Case } from '../../../../shared/domain';
import { containsPattern, fold } from '../columns';
import type { CacheDb } from '../database';
import { createDocumentRepo } from './documents';

/** Words too short to say anything about a case. */
const MIN_WORD = 4;

export function createArticlesRepo(db: CacheDb) {
  const all = db.prepare<[], { data: string }>('SELECT data FROM articles ORDER BY id');
  const search = db.prepare<[string, number], { data: string }>("SELECT data FROM articles WHERE text_folded LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?");
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM articles');
  const parse = (r: { data: string }) => JSON.parse(r.data) as Article;
  return {
    ...createDocumentRepo<Article>(db, 'articles', { text_folded: (a) => fold(`${a.title} ${a.tags.join(' ')} ${a.body}`) }),
    search: (query: string, limit: number): Article[] => search.all(containsPattern(query.trim()), limit).map(parse),
    /** The articles that fit a case best, best first; none when nothing fits. */
    forCase(c: Pick<Case, 'subject' | 'tags'>, deviceModel: string | null, limit: number): Article[] {
      const words = new Set(fold(c.subject).split(/[^\p{L}\p{N}_]+/u).filter((w) => w.length >= MIN_WORD));
      const scored = all.all().map((row) => {
        const a = parse(row);
        const title = fold(a.title);
        let score = 3 * a.tags.filter((t) => c.tags.includes(t)).length;
        if (deviceModel && a.deviceModels.includes(deviceModel)) score += 3;
        for (const w of words) if (title.includes(w)) score += 1;
        return { a, score };
      });
      return scored
        .filter((s) => s.score > 0)
        .sort((x, y) => y.score - x.score || x.a.title.localeCompare(y.a.title))
        .slice(0, limit)
        .map((s) => s.a);
    },
    count: (): number => count.get()?.n ?? 0,
  };
}
export type ArticlesRepo = ReturnType<typeof createArticlesRepo>;
