/**
 * react-query over the console API. Every query key is `[method, input]`, so
 * push events can invalidate by method (`['cases.list']`) or by one input
 * (`['cases.get', { id }]`: react-query matches keys partially).
 */
import { keepPreviousData, useQueries, useQuery, type UseQueryOptions } from '@tanstack/react-query';
import type { ApiInput, ApiMethod, ApiOutput } from '../../../shared/api';
import { call } from './client';

export type ApiKey<M extends ApiMethod> = readonly [M, ApiInput<M>];
export const apiKey = <M extends ApiMethod>(method: M, input: ApiInput<M>): ApiKey<M> => [method, input];
/** Matches every query of one method. */
export const methodKey = (method: ApiMethod) => [method] as const;

type Options<M extends ApiMethod, T> = Omit<UseQueryOptions<ApiOutput<M>, Error, T, ApiKey<M>>, 'queryKey' | 'queryFn'>;

export function useApiQuery<M extends ApiMethod, T = ApiOutput<M>>(method: M, input: ApiInput<M>, options: Options<M, T> = {}) {
  return useQuery({ ...options, queryKey: apiKey(method, input), queryFn: () => call(method, input) });
}

export type CaseFilter = Omit<ApiInput<'cases.list'>, 'limit'>;

export const useSession = () => useApiQuery('session.current', {});
export const useQueues = () => useApiQuery('queues.list', {});
export const useSyncStatus = () => useApiQuery('sync.status', {}, { refetchInterval: 15_000 });
// The previous list stays on screen while the next filter or search loads (the cache answers in milliseconds).
export const useCases = (filter: CaseFilter) => useApiQuery('cases.list', filter, { placeholderData: keepPreviousData });
export const useNotices = () => useApiQuery('notices.list', {});
export const useCaseView = (id: string | null) => useApiQuery('cases.get', { id: id ?? '' }, { enabled: id !== null });
/** Who a supervisor can give a case to; the list barely changes during a session. */
export const useUsers = (enabled = true) => useApiQuery('users.list', {}, { enabled, staleTime: 5 * 60_000 });
/** Knowledge articles matching the words typed, the ones that fit the case first (from the cache: offline too). */
export const useArticleSearch = (caseId: string, query: string) =>
  useApiQuery('articles.search', { caseId, query, limit: 20 }, { enabled: query !== '', placeholderData: keepPreviousData, staleTime: 60_000 });

export type MentionFilter = Omit<ApiInput<'mentions.list'>, 'limit'>;
export const useMentions = (filter: MentionFilter) => useApiQuery('mentions.list', filter, { placeholderData: keepPreviousData });
/** The inbox's count of posts nobody has handled: `limit: 1` lets the core count without building rows. */
export const useNewMentionCount = () => useApiQuery('mentions.list', { status: 'new', limit: 1 }, { select: (r) => r.total });
/** Customers by name, email, phone or handle, from the cache (offline too). */
export const useCustomerSearch = (query: string) =>
  useApiQuery('customers.search', { query, limit: 20 }, { enabled: query.trim() !== '', placeholderData: keepPreviousData });
export const useCustomerDevices = (customerId: string | null) => useApiQuery('customers.devices', { customerId: customerId ?? '' }, { enabled: customerId !== null });

/** How many cases each filter matches: `limit: 1` lets the core count without building rows. */
export function useCaseCounts(filters: CaseFilter[]): (number | undefined)[] {
  return useQueries({
    queries: filters.map((filter) => {
      const input = { ...filter, limit: 1 };
      return { queryKey: apiKey('cases.list', input), queryFn: () => call('cases.list', input), select: (r: ApiOutput<'cases.list'>) => r.total };
    }),
  }).map((result) => result.data);
}
