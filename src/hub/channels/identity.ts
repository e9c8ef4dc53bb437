/**
 * How a handle or address is compared on each channel: the one key of the
 * customer_identities table (migration 7 backfills with the same rule:
 * social handles in lower case without the @, email addresses in lower case).
 */
import type { Channel } from '../../shared/domain';

export function normaliseIdentity(channel: Channel, value: string): string {
  const trimmed = value.trim();
  switch (channel) {
    case 'email':
      return trimmed.toLowerCase();
    case 'phone':
      // E.164-ish: the digits, with the + kept when given.
      return (trimmed.startsWith('+') ? '+' : '') + trimmed.replace(/\D/g, '');
    default:
      return trimmed.replace(/^@/, '').toLowerCase();
  }
}

/** How a handle is shown on a customer (`handles`): with the @ where the network writes one. */
export function displayHandle(channel: Channel, value: string): string {
  return channel === 'x' || channel === 'mastodon' ? `@${value.trim().replace(/^@/, '')}` : value.trim();
}

/** The identity key of a provider's stable user id, kept apart from handles in the same table (`id:<id>`). */
export const userIdIdentity = (userId: string): string => `id:${userId}`;
