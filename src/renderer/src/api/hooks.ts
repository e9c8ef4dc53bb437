import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiInput, ConnectionState } from '../../../shared/api';
import { api, call } from './client';

export const keys = {
  session: ['session'] as const,
  queues: ['queues'] as const,
  cases: (filter: ApiInput<'cases.list'>) => ['cases', filter] as const,
  caseView: (id: string) => ['case', id] as const,
  sync: ['sync'] as const,
};

export const useSession = () => useQuery({ queryKey: keys.session, queryFn: () => call('session.current', {}) });
export const useQueues = () => useQuery({ queryKey: keys.queues, queryFn: () => call('queues.list', {}) });
export const useCases = (filter: ApiInput<'cases.list'>) =>
  useQuery({ queryKey: keys.cases(filter), queryFn: () => call('cases.list', filter), placeholderData: (previous) => previous });
export const useCaseView = (id: string | null) =>
  useQuery({ queryKey: keys.caseView(id ?? ''), queryFn: () => call('cases.get', { id: id! }), enabled: id !== null });
export const useSyncStatus = () => useQuery({ queryKey: keys.sync, queryFn: () => call('sync.status', {}), refetchInterval: 15_000 });

/** Core events keep react-query's caches fresh; returns the ids of cases that just changed. */
export function useCoreEvents(): { connection: ConnectionState | null; recent: Set<string> } {
  const client = useQueryClient();
  const [connection, setConnection] = useState<ConnectionState | null>(null);
  const [recent, setRecent] = useState<Set<string>>(new Set());
  useEffect(() => {
    const offs = [
      api.on('cases:changed', ({ ids }) => {
        void client.invalidateQueries({ queryKey: ['cases'] });
        void client.invalidateQueries({ queryKey: keys.queues });
        void client.invalidateQueries({ queryKey: keys.sync });
        if (ids.length === 0) void client.invalidateQueries({ queryKey: ['case'] });
        for (const id of ids) void client.invalidateQueries({ queryKey: keys.caseView(id) });
        if (ids.length > 0) {
          setRecent((previous) => new Set([...previous, ...ids]));
          setTimeout(() => setRecent((previous) => new Set([...previous].filter((id) => !ids.includes(id)))), 4000);
        }
      }),
      api.on('connection:changed', ({ state }) => {
        setConnection(state);
        void client.invalidateQueries({ queryKey: keys.sync });
      }),
      api.on('session:changed', () => void client.invalidateQueries({ queryKey: keys.session })),
    ];
    return () => offs.forEach((off) => off());
  }, [client]);
  return { connection, recent };
}
