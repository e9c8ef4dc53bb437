/** The agent's workspace: views and queues on the left, the unified queue, and the open case beside it. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { AppShell, CloseButton, Kbd, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconSearch } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { QueueItem, SessionInfo } from '../../../shared/api';
import { mayReassignInBulk } from '../../../shared/policy';
import { api, call } from '../api/client';
import { signedOut, useCoreEvents } from '../api/events';
import { useCases, useQueues, useSyncStatus } from '../api/queries';
import { AlertToasts } from '../components/AlertToasts';
import { AppHeader } from '../components/AppHeader';
import { BriefcaseSummary } from '../components/BriefcaseSummary';
import { CallPop } from '../components/CallPop';
import { MentionsView } from '../components/mentions/MentionsView';
import { OversightScreen } from '../components/OversightScreen';
import { MentionToasts } from '../components/mentions/MentionToasts';
import { SurgeAlerts } from '../components/SurgeAlerts';
import { SlaToasts } from '../components/SlaToasts';
import { ShortcutsDialog } from '../components/ShortcutsDialog';
import { CaseView } from '../components/CaseView';
import { SplitView, ViewToolbar } from '../components/ListView';
import { NewCaseModal } from '../components/NewCaseModal';
import { QueueList } from '../components/QueueList';
import { QueueNav } from '../components/QueueNav';
import { useReassign } from '../components/reassign/useReassign';
import { NextCaseButton } from '../components/routing/NextCaseButton';
import { mayTakeNextCase } from '../../../shared/routing';
import { OfferStrip } from '../components/routing/OfferCard';
import { stepSelection, useQueueKeys } from '../lib/useQueueKeys';
import { filterFor, isScreenView, type View } from '../lib/views';
import { i18n } from '../i18n';
import { errorWords } from '../i18n/wording';
import classes from './Console.module.css';

/**
 * The queue a new case most likely belongs to: the one on screen, else the open
 * case's, else the one most of the listed work is in (a technician's field queue).
 */
function likelyQueue(view: View, items: QueueItem[], openId: string | null): string | null {
  if (view.kind === 'queue') return view.queueId;
  const open = items.find((item) => item.id === openId);
  if (open) return open.queueId;
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.queueId, (counts.get(item.queueId) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}


/** How long to wait for the case the hub opens for a converted mention before saying so. */
const AWAIT_CASE_MS = 30_000;

/**
 * Opens a case as soon as the cache has it: the one the hub opens for a
 * converted mention arrives through the live socket or the next pull.
 */
function useOpenWhenArrives(open: (id: string) => void): (id: string) => void {
  const [awaited, setAwaited] = useState<string | null>(null);
  useEffect(() => {
    if (!awaited) return;
    const toast = `await-${awaited}`;
    notifications.show({ id: toast, loading: true, autoClose: false, withCloseButton: false, title: i18n.t('console.converting'), message: i18n.t('console.convertingHint') });
    let done = false;
    const check = async () => {
      const view = await call('cases.get', { id: awaited }).catch(() => null);
      if (!view || done) return;
      done = true;
      notifications.hide(toast);
      setAwaited(null);
      open(awaited);
    };
    const off = api.on('cases:changed', ({ ids }) => {
      if (ids.length === 0 || ids.includes(awaited)) void check();
    });
    const giveUp = setTimeout(() => {
      if (done) return;
      notifications.update({ id: toast, loading: false, autoClose: 8_000, withCloseButton: true, color: 'orange', title: i18n.t('console.notArrived'), message: i18n.t('console.notArrivedHint') });
      setAwaited(null);
    }, AWAIT_CASE_MS);
    void check();
    return () => {
      done = true;
      off();
      clearTimeout(giveUp);
    };
  }, [awaited, open]);
  return setAwaited;
}

export function Console({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const fresh = useCoreEvents();
  const sync = useSyncStatus();
  const queues = useQueues();
  // An agent starts on their own work (offers come on top of it, components/routing); those who oversee on everything.
  const [view, setView] = useState<View>(() => (session.user.role === 'agent' ? { kind: 'mine' } : { kind: 'all' }));
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 150);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [newCaseOpen, setNewCaseOpen] = useState(false);
  const [callerPhone, setCallerPhone] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const cases = useCases(filterFor(view, debouncedSearch));
  const items = cases.data?.items ?? [];
  // Supervisors and admins pick cases and move them (components/reassign); agents and technicians never see it.
  const reassign = useReassign({
    enabled: mayReassignInBulk(session.user.role) && !isScreenView(view.kind) && view.kind !== 'mentions',
    items,
    viewKey: JSON.stringify(view),
    cursorId: selectedId,
    setCursor: setSelectedId,
  });

  const open = useCallback((id: string) => {
    setSelectedId(id);
    setOpenId(id);
  }, []);

  const awaitCase = useOpenWhenArrives(open);
  const showMentions = useCallback(() => setView({ kind: 'mentions' }), []);
  const showConflicts = useCallback(() => setView({ kind: 'conflicts' }), []);
  const mentionsShown = view.kind === 'mentions';

  const syncNow = useMutation({
    mutationFn: () => call('sync.now', {}),
    onSuccess: () => client.invalidateQueries(),
    onError: (error) => notifications.show({ color: 'red', title: t('console.syncFailed'), message: errorWords(i18n, error) }),
  });
  const logout = () => {
    // Forget locally first: the core's session:changed that follows is then known to be ours.
    signedOut(client);
    void call('session.logout', {});
  };

  useQueueKeys({
    move(step) {
      const next = stepSelection(items, selectedId, step);
      if (next) setSelectedId(next);
    },
    open() {
      if (selectedId) open(selectedId);
    },
    focusSearch: () => searchRef.current?.focus(),
    // Esc closes the open case; with none open it clears the selection.
    close: () => (openId ? setOpenId(null) : reassign.clear()),
    newCase: () => setNewCaseOpen(true),
    ...reassign.keys,
  }, !mentionsShown);

  const caseView = openId ? <CaseView key={openId} caseId={openId} me={session.user} onClose={() => setOpenId(null)} onOpenCase={open} /> : null;

  const title = view.kind === 'queue' ? (queues.data?.find((q) => q.id === view.queueId)?.name ?? t('views.queue')) : t(`views.${view.kind}`);

  return (
    <AppShell header={{ height: 48 }} navbar={{ width: 232, breakpoint: 0 }} padding={0}>
      <AppShell.Header className={classes.header} withBorder={false}>
        <AppHeader session={session} status={sync.data} syncing={syncNow.isPending} onSyncNow={() => syncNow.mutate()} onLogout={logout} onOpenCase={open} onShowConflicts={showConflicts} />
      </AppShell.Header>

      <AppShell.Navbar className={classes.navbar}>
        <QueueNav
          queues={queues.data}
          role={session.user.role}
          view={view}
          onView={setView}
          onNewCase={() => setNewCaseOpen(true)}
          onDropCases={reassign.onDropOnQueue}
          nextCase={mayTakeNextCase(session.user.role, queues.data ?? []) ? <NextCaseButton onOpenCase={open} /> : undefined}
        />
        <NewCaseModal
          opened={newCaseOpen}
          onClose={() => {
            setNewCaseOpen(false);
            setCallerPhone(null);
          }}
          queues={queues.data ?? []}
          defaultQueueId={likelyQueue(view, items, openId)}
          callerPhone={callerPhone}
          onCreated={(id) => {
            setNewCaseOpen(false);
            setCallerPhone(null);
            open(id);
          }}
        />
      </AppShell.Navbar>

      <AppShell.Main className={classes.main}>
        {/* In the flow at the top: it pushes the work down, never lies over the queue's first rows or the composer. */}
        <OfferStrip enabled onOpenCase={open} />
        <AlertToasts onOpenCase={open} />
        <SlaToasts onOpenCase={open} />
        <MentionToasts onShowMentions={showMentions} />
        <ShortcutsDialog />
        <SurgeAlerts role={session.user.role} onOpenCase={open} onShowMentions={showMentions} />
        <CallPop
          onOpenCase={open}
          onNewCustomer={(phone) => {
            setCallerPhone(phone);
            setNewCaseOpen(true);
          }}
        />
        {isScreenView(view.kind) ? (
          <OversightScreen view={view.kind} />
        ) : mentionsShown ? (
          <MentionsView
            openCase={caseView}
            onOpenCase={open}
            onAwaitCase={awaitCase}
            onCloseCase={() => setOpenId(null)}
            onNewCase={() => setNewCaseOpen(true)}
            keysEnabled={!newCaseOpen}
          />
        ) : (
          <>
            <ViewToolbar title={title} total={cases.data?.total} noun="case">
              <TextInput
                ref={searchRef}
                size="xs"
                w={340}
                maw="45%"
                placeholder={t('console.searchPlaceholder')}
                aria-label={t('console.searchLabel')}
                leftSection={<IconSearch size={14} />}
                rightSectionWidth={search ? 28 : 36}
                rightSection={search ? <CloseButton size="sm" aria-label={t('console.clearSearch')} onClick={() => setSearch('')} /> : <Kbd size="xs">/</Kbd>}
                value={search}
                onChange={(event) => setSearch(event.currentTarget.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Escape') {
                    setSearch('');
                    event.currentTarget.blur();
                  } else if (event.key === 'ArrowDown' || event.key === 'Enter') {
                    // From the search box straight into the results.
                    event.preventDefault();
                    event.currentTarget.blur();
                    if (items[0] && !items.some((item) => item.id === selectedId)) setSelectedId(items[0].id);
                    if (event.key === 'Enter' && items[0]) open(selectedId && items.some((item) => item.id === selectedId) ? selectedId : items[0].id);
                  }
                }}
                data-testid="queue-search"
              />
            </ViewToolbar>
            {view.kind === 'briefcase' && <BriefcaseSummary status={sync.data} />}
            {reassign.bar}
            {reassign.overlays}
            <SplitView detail={caseView}>
              <QueueList
                items={items}
                loading={cases.isPending}
                stale={cases.isPlaceholderData}
                error={cases.error}
                onRetry={() => void cases.refetch()}
                searching={debouncedSearch.length > 0}
                selectedId={selectedId}
                openId={openId}
                fresh={fresh}
                onOpen={open}
                stacked={openId !== null}
                picking={reassign.picking}
                emptyText={view.kind === 'conflicts' ? { title: t('console.noConflictsTitle'), hint: t('console.noConflictsHint') } : undefined}
              />
            </SplitView>
          </>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
