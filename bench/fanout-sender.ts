/**
 * Worker thread for the fan-out bench: the supervisor pushing notes at a
 * steady rate, one POST /api/sync/push per change, off the hub's thread (a
 * real console pushes from its own machine). Reports when each was sent and
 * how long the hub took to answer it, after a warm-up (the first second
 * runs unoptimised code on every side).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { leanPoster, noteMutation } from './http';

const { url, token, caseId, rate, count, warmup } = workerData as { url: string; token: string; caseId: string; rate: number; count: number; warmup: number };
/** Keep-alive connections enough for the pushes in flight at the highest rate; fetch would spend this machine's CPU the hub is measured on. */
const client = leanPoster(url, 32);
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

parentPort!.once('message', async () => {
  const sentAt: [string, number][] = [];
  const answeredIn: number[] = [];
  const responses: Promise<unknown>[] = [];
  const start = Date.now();
  // The first `warmup` changes are sent on the same schedule but not reported.
  for (let n = 0; n < warmup + count; n++) {
    const due = start + (n * 1000) / rate;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const mutation = noteMutation(caseId, `fan-out ${n}`);
    const at = Date.now();
    const measured = n >= warmup;
    if (measured) sentAt.push([mutation.id, at]);
    responses.push(
      client.post('/api/sync/push', JSON.stringify({ mutations: [mutation] }), headers).then((r) => {
        if (r.status !== 200) throw new Error(`push ${n}: ${r.status} ${r.body}`);
        if (measured) answeredIn.push(Date.now() - at);
      }),
    );
  }
  // Every push answered, so none is still in flight when the hub closes.
  await Promise.all(responses);
  client.close();
  parentPort!.postMessage({ type: 'sent', sentAt, answeredIn });
});
