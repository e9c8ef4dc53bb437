/** Core push events → react-query: each event invalidates exactly the queries it affects. */
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import type { SyncStatus } from '../../../shared/api';
import type { PlansSettings } from '../../../shared/entitlements';
import type { SlaSettings } from '../../../shared/protocol';
import { useHighlight } from '../lib/useHighlight';
import { api } from './client';
import { apiKey, methodKey } from './queries';

/** Bursts of changes (a sync page, a busy feed) become one refetch. */
const COALESCE_MS = 150;
/** A bigger batch is a sync catching up, not news: highlighting it would flash the whole list. */
const MAX_HIGHLIGHTED = 20;

/** Keeps queries fresh while signed in (session changes are App's); returns the ids of cases that just arrived or changed. */
export function useCoreEvents(): ReadonlySet<string> {
  const client = useQueryClient();
  const [fresh, highlight] = useHighlight();

  useEffect(() => {
    let pending = new Set<string>();
    let reloadAll = false;
    let flushTimer: ReturnType<typeof setTimeout> | null = null;

    const flush = () => {
      flushTimer = null;
      const ids = [...pending];
      const all = reloadAll;
      pending = new Set();
      reloadAll = false;
      void client.invalidateQueries({ queryKey: methodKey('cases.list') });
      void client.invalidateQueries({ queryKey: methodKey('sync.status') });
      if (all) {
        // "Reload all" also covers queues and names shown beside cases (and beside mentions).
        void client.invalidateQueries({ queryKey: methodKey('queues.list') });
        void client.invalidateQueries({ queryKey: methodKey('mentions.list') });
        void client.invalidateQueries({ queryKey: methodKey('cases.get') });
      } else for (const id of ids) void client.invalidateQueries({ queryKey: apiKey('cases.get', { id }) });
      if (!all && ids.length <= MAX_HIGHLIGHTED) highlight(ids);
    };

    const offs = [
      api.on('cases:changed', ({ ids }) => {
        if (ids.length === 0) reloadAll = true;
        for (const id of ids) pending.add(id);
        flushTimer ??= setTimeout(flush, COALESCE_MS);
      }),
      api.on('sync:changed', (status) => {
        // The payload is the whole status: no need to ask the core again.
        client.setQueryData<SyncStatus>(apiKey('sync.status', {}), status);
        void client.invalidateQueries({ queryKey: methodKey('notices.list') });
        void client.invalidateQueries({ queryKey: methodKey('conflicts.list') });
      }),
      api.on('mentions:changed', () => void client.invalidateQueries({ queryKey: methodKey('mentions.list') })),
      api.on('connection:changed', ({ state }) => {
        client.setQueryData<SyncStatus>(apiKey('sync.status', {}), (old) => (old ? { ...old, connection: state } : old));
        void client.invalidateQueries({ queryKey: methodKey('sync.status') });
        // Saved elsewhere while this console was away: an open admin tab reads again (and warns over a draft).
        if (state === 'online') for (const m of ['admin.plans.get', 'admin.sla.get'] as const) void client.invalidateQueries({ queryKey: methodKey(m) });
      }),
      // Saved by an admin, here or elsewhere: the admin tabs that read them see it at once (useSettingsDraft keeps a draft and warns). Only a query already read is replaced.
      api.on('plans:changed', (plans) => client.setQueryData<PlansSettings>(apiKey('admin.plans.get', {}), (old) => (old ? plans : old))),
      api.on('sla:changed', (sla) => client.setQueryData<SlaSettings>(apiKey('admin.sla.get', {}), (old) => (old ? sla : old))),
    ];
    return () => {
      offs.forEach((off) => off());
      if (flushTimer) clearTimeout(flushTimer);
    };
  }, [client, highlight]);

  return fresh;
}

/** Forget everything the last user saw, so the next one never glimpses it. */
export function signedOut(client: ReturnType<typeof useQueryClient>): void {
  client.setQueryData(apiKey('session.current', {}), null);
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session.current' });
  // Alerts and errors shown to the signed-out user name their cases: they must not stay on the sign-in screen.
  notifications.clean();
}
