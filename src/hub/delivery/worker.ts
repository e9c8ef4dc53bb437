/**
 * The delivery worker: claims due replies from the queue (repos/deliveries.ts)
 * and hands each to its channel's sender, once per attempt. The attempt is
 * on record (state `sending`, attempts + 1) before the provider is called and
 * its end after, so a hub that stops mid-call leaves a lease that runs out:
 * an idempotent provider is simply asked again, any other reply fails as
 * "outcome unknown" rather than risk posting it twice. Timeouts, network
 * errors, 5xx and 429 retry with exponential backoff; a 4xx fails for good.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ReplyChannel } from '../../shared/replies';
import type { Db } from '../db/connect';
import { type ChannelSender, DeliveryError, type OutboundReply } from '../channels/outbound';
import { type AttemptEnd, type ClaimedJob, claimDueDeliveries, type FinishedDelivery, finishAttempt, nextDueAt } from '../repos/deliveries';

export interface DeliveryWorkerOptions {
  db: Db;
  senders: Partial<Record<ReplyChannel, ChannelSender>>;
  /** Told of every change of a reply's delivery, after commit. */
  publish(finished: FinishedDelivery): void;
  log: Logger;
  /** Polling keeps hubs that did not take the reply (and retries) moving; a send on this hub kicks at once. */
  pollMs?: number;
  /** How long one attempt may take before it is cut off (and retried). */
  timeoutMs?: number;
  /** Attempts before a transient failure fails for good. */
  maxAttempts?: number;
  /** The first retry's delay; each next one doubles, up to 10 minutes. */
  backoffMs?: number;
  /** Attempts at once. */
  concurrency?: number;
}

export interface DeliveryWorker {
  /** A reply was queued: look now instead of at the next poll. */
  kick(): void;
  /** Stops claiming and waits for the attempts in flight (each bounded by its timeout). */
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 10 * 60_000;

export function startDeliveryWorker(opts: DeliveryWorkerOptions): DeliveryWorker {
  const hub = `hub-${randomUUID()}`;
  const pollMs = opts.pollMs ?? 1000;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  // Longer than an attempt can take, so a live hub never loses a job it is still sending.
  const leaseMs = timeoutMs * 2 + 5_000;
  const maxAttempts = opts.maxAttempts ?? 6;
  const backoffMs = opts.backoffMs ?? 2_000;
  const concurrency = opts.concurrency ?? 4;
  const log = opts.log;

  let stopping = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  const schedule = (ms: number) => {
    if (stopping) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(kick, Math.max(0, ms));
  };

  function kick(): void {
    if (stopping) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => log.error({ err: error }, 'delivery round failed'))
      .finally(async () => {
        running = null;
        if (again) {
          again = false;
          kick();
          return;
        }
        // Sleep until the next retry is due, or the next poll, whichever is sooner.
        const due = await nextDueAt(opts.db).catch(() => null);
        schedule(Math.min(pollMs, due ? due.getTime() - Date.now() : pollMs));
      });
  }

  async function drain(): Promise<void> {
    while (!stopping) {
      const jobs = await claimDueDeliveries(opts.db, hub, concurrency, leaseMs);
      if (jobs.length === 0) return;
      await Promise.all(jobs.map((job) => attempt(job)));
    }
  }

  async function attempt(job: ClaimedJob): Promise<void> {
    const end = await send(job);
    const finished = await finishAttempt(opts.db, hub, job.messageId, end);
    if (!finished) {
      log.warn({ messageId: job.messageId }, 'delivery lease lost: another hub owns the reply now');
      return;
    }
    log.info({ messageId: job.messageId, channel: job.channel, attempt: job.attempts, status: end.status }, 'reply delivery attempt');
    opts.publish(finished);
  }

  async function send(job: ClaimedJob): Promise<AttemptEnd> {
    const channel = job.channel;
    // Keyed by reply channel: any other channel has no sender.
    const sender = opts.senders[channel as ReplyChannel];
    if (!sender) return { status: 'failed', reason: `the ${channel} channel has no outbound configuration on this hub` };
    if (job.was === 'sending' && !sender.idempotent) {
      return { status: 'failed', reason: `the hub stopped during an attempt: ${channel} may have taken the reply; check there before retrying` };
    }
    const reply: OutboundReply = {
      messageId: job.messageId,
      channel: channel as ReplyChannel,
      body: job.body,
      idempotencyKey: job.idempotencyKey,
      attempt: job.attempts,
      case: job.target.case,
      recipient: job.target.recipient,
      answers: job.target.answers && { externalId: job.target.answers.externalId, author: job.target.answers.author, context: job.target.answers.context },
    };
    try {
      const result = await sender.send(reply, AbortSignal.timeout(timeoutMs));
      return { status: 'sent', externalId: result.externalId };
    } catch (error) {
      const reason = reasonOf(error);
      if (error instanceof DeliveryError && error.permanent) return { status: 'failed', reason };
      if (job.attempts >= maxAttempts) return { status: 'failed', reason: `gave up after ${job.attempts} attempts: ${reason}` };
      const delay = Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (job.attempts - 1));
      return { status: 'retry', reason: `attempt ${job.attempts} failed: ${reason}; trying again`, retryAt: new Date(Date.now() + delay) };
    }
  }

  schedule(0);
  return {
    kick,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running;
      await Promise.all(Object.values(opts.senders).map((sender) => sender?.close?.()));
    },
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'the provider did not answer in time' : error.message;
  return String(error);
}
