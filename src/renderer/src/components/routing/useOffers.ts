/** The offers open for this user: what the core holds (a reloaded window too), kept current by `offer:new` / `offer:gone`. */
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { OfferItem } from '../../../../shared/api';
import { api } from '../../api/client';
import { apiKey, useApiQuery } from '../../api/queries';

const KEY = apiKey('routing.offers', {});
const soonestFirst = (a: OfferItem, b: OfferItem) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt);

export function useOffers(enabled: boolean): OfferItem[] {
  const client = useQueryClient();
  const offers = useApiQuery('routing.offers', {}, { enabled });
  useEffect(() => {
    if (!enabled) return;
    const offs = [
      api.on('offer:new', (offer) => client.setQueryData<OfferItem[]>(KEY, (old = []) => [...old.filter((o) => o.case.id !== offer.case.id), offer].sort(soonestFirst))),
      api.on('offer:gone', ({ caseId }) => client.setQueryData<OfferItem[]>(KEY, (old = []) => old.filter((o) => o.case.id !== caseId))),
    ];
    return () => offs.forEach((off) => off());
  }, [client, enabled]);
  return offers.data ?? [];
}
