/**
 * Language and sentiment of one inbound post (`analyseText`), which runs on
 * every message: 280-character posts built from the labelled sample, each
 * language in turn, timed one call at a time after a warm-up.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { analyseText } from '../src/hub/channels/text/analyse';
import { ms, report, summarize } from './stats';

const CALLS = 20_000;
const LENGTH = 280;

export async function benchTextAnalysis(): Promise<void> {
  const sample = JSON.parse(readFileSync(new URL('../tests/hub/fixtures/text-sample.json', import.meta.url), 'utf8')) as { text: string; language: string }[];
  const posts: string[] = [];
  for (const language of new Set(sample.map((s) => s.language))) {
    const texts = sample.filter((s) => s.language === language).map((s) => s.text);
    for (let i = 0; i < texts.length; i++) {
      let post = texts[i]!;
      for (let j = i + 1; post.length < LENGTH; j++) post += ' ' + texts[j % texts.length];
      posts.push(post.slice(0, LENGTH));
    }
  }
  for (let i = 0; i < 2_000; i++) analyseText(posts[i % posts.length]!);
  const samples: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const post = posts[i % posts.length]!;
    const start = performance.now();
    analyseText(post);
    samples.push(performance.now() - start);
  }
  const { p50, p99, max } = summarize(samples);
  report(`analyseText, ${LENGTH}-char posts (${posts.length} posts, ${CALLS} calls)`, `p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(max)}`, {
    ok: p50 < 1,
    text: 'p50 < 1 ms',
  });
}
