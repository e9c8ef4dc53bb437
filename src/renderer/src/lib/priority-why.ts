/**
 * The priority explanation (src/shared/priority.ts) in the user's language:
 * the core sends its reasons as data (`priorityWhyParts`, an offer's
 * `whyParts`); the words, durations and numbers are the chosen language's.
 */
import { type PriorityWhyPart, sentimentBand } from '../../../shared/priority';
import { i18n, intlLocale } from '../i18n';
import { compactDuration } from './time';

const MINUTE = 60_000;

function partText(part: PriorityWhyPart): string {
  const t = i18n.t.bind(i18n);
  switch (part.factor) {
    case 'sla': {
      const left = part.remainingMs;
      if (left === null) return t('priorityWhy.slaNone');
      if (left < 0) return -left < MINUTE ? t('priorityWhy.slaBreachedNow') : t('priorityWhy.slaBreached', { duration: compactDuration(left) });
      return t('priorityWhy.slaDue', { duration: compactDuration(left) });
    }
    case 'entitlement':
      return part.plan ? t('priorityWhy.plan', { plan: t(`plans.${part.plan}`) }) : t(`priorityWhy.entitlement.${part.entitlement ?? 'none'}`);
    case 'lifetimeValue':
      return t('priorityWhy.lifetimeValue', { value: new Intl.NumberFormat(intlLocale().locale, { notation: 'compact', maximumFractionDigits: 1 }).format(part.value) });
    case 'influence':
      return t('priorityWhy.influence', { value: Math.round(part.value) });
    case 'sentiment':
      return t(`priorityWhy.sentiment.${sentimentBand(part.value)}`);
    case 'severity':
      return t(`priorityWhy.severity.${part.priority}`);
  }
}

/** "SLA due in 12m · premium plan · negative sentiment", in the current language. */
export function priorityWhyText(parts: readonly PriorityWhyPart[]): string {
  return parts.length === 0 ? i18n.t('priorityWhy.none') : parts.map(partText).join(' · ');
}
