/**
 * Writes through the console API. The core applies each one to its cache at
 * once (and queues it for the hub), so its answer is put straight into the
 * case view: the change shows without waiting for the push event's refetch.
 */
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiInput, ApiMethod, ApiOutput, CaseView, DraftKind, QueueItem } from '../../../shared/api';
import type { Message } from '../../../shared/domain';
import { i18n } from '../i18n';
import { errorWords } from '../i18n/wording';
import { call } from './client';
import { apiKey, methodKey } from './queries';

interface Options<M extends ApiMethod> {
  onSuccess?: (value: ApiOutput<M>, input: ApiInput<M>) => void;
  /** The toast's title when the core refuses (it never fails for want of the hub), translated (`mutations.*`). */
  errorTitle?: string;
}

// Titles are translated when the hook runs (every render), so a language switch shows at the next toast.
export function useApiMutation<M extends ApiMethod>(method: M, { onSuccess, errorTitle = i18n.t('mutations.notSaved') }: Options<M> = {}) {
  return useMutation({
    mutationFn: (input: ApiInput<M>) => call(method, input),
    onSuccess: (value, input) => onSuccess?.(value, input),
    // The core's or hub's refusal in the user's language (its wording), else as it was said.
    onError: (error) => notifications.show({ color: 'red', title: errorTitle, message: errorWords(i18n, error) }),
  });
}

/** Puts the core's answer into the open case view at once. */
function usePatchView(caseId: string) {
  const client = useQueryClient();
  return (patch: (view: CaseView) => CaseView) =>
    client.setQueryData<CaseView | null>(apiKey('cases.get', { id: caseId }), (old) => (old ? patch(old) : old));
}

export function useUpdateCase(caseId: string) {
  const patch = usePatchView(caseId);
  const client = useQueryClient();
  return useApiMutation('cases.update', {
    onSuccess: (item: QueueItem) => {
      patch((view) => ({ ...view, case: item }));
      void client.invalidateQueries({ queryKey: methodKey('cases.list') });
    },
  });
}

export function useAssignCase(caseId: string) {
  const patch = usePatchView(caseId);
  return useApiMutation('cases.assign', { onSuccess: (item: QueueItem) => patch((view) => ({ ...view, case: item })), errorTitle: i18n.t('mutations.assign') });
}

const withMessage = (view: CaseView, message: Message): CaseView =>
  view.messages.some((m) => m.id === message.id) ? view : { ...view, messages: [...view.messages, message] };

export function useAddNote(caseId: string) {
  const patch = usePatchView(caseId);
  // The core drops the note draft in the same transaction as the note.
  return useApiMutation('cases.addNote', { onSuccess: (message: Message) => patch((view) => ({ ...withMessage(view, message), noteDraft: null })), errorTitle: i18n.t('mutations.note') });
}

export function useReply(caseId: string) {
  const patch = usePatchView(caseId);
  return useApiMutation('cases.reply', { onSuccess: (message: Message) => patch((view) => ({ ...withMessage(view, message), draft: null })), errorTitle: i18n.t('mutations.reply') });
}

/** Sends a failed reply again; the core shows it queued at once. */
export function useRetryReply(caseId: string) {
  const patch = usePatchView(caseId);
  return useApiMutation('messages.retry', {
    onSuccess: (message: Message) => patch((view) => ({ ...view, messages: view.messages.map((m) => (m.id === message.id ? message : m)) })),
    errorTitle: i18n.t('mutations.retryReply'),
  });
}

/** Converting or dismissing a mention: the list shows it at once (the core lays the change over the hub's row). */
function useMentionMutation<M extends 'mentions.convert' | 'mentions.dismiss'>(method: M, opts: Options<M>) {
  const client = useQueryClient();
  return useApiMutation(method, {
    ...opts,
    onSuccess: (value, input) => {
      void client.invalidateQueries({ queryKey: methodKey('mentions.list') });
      opts.onSuccess?.(value, input);
    },
  });
}
export const useConvertMention = (onSuccess?: Options<'mentions.convert'>['onSuccess']) =>
  useMentionMutation('mentions.convert', { onSuccess, errorTitle: i18n.t('mutations.convertMention') });
export const useDismissMention = () => useMentionMutation('mentions.dismiss', { errorTitle: i18n.t('mutations.dismissMention') });

/** What a customer agreed to (opted in, do not engage): the case views showing them refresh. */
export function useSetConsent() {
  const client = useQueryClient();
  return useApiMutation('customers.setConsent', {
    onSuccess: () => void client.invalidateQueries({ queryKey: methodKey('cases.get') }),
    errorTitle: i18n.t('mutations.consent'),
  });
}

export function useResolveConflict(caseId: string) {
  const client = useQueryClient();
  return useApiMutation('conflicts.resolve', {
    onSuccess: () => void client.invalidateQueries({ queryKey: apiKey('cases.get', { id: caseId }) }),
    errorTitle: i18n.t('mutations.resolveConflict'),
  });
}

/**
 * Saves the reply or internal note being typed. Not a react-query mutation: it
 * runs on every pause in typing and when the case closes (even after the
 * component is gone). The open view's `draft` / `noteDraft` follows, so
 * reopening the case restores the text.
 */
export function useSaveDraft(caseId: string, kind: DraftKind = 'reply') {
  const client = useQueryClient();
  return async (body: string): Promise<boolean> => {
    try {
      await call('drafts.save', { caseId, body, kind });
      client.setQueryData<CaseView | null>(apiKey('cases.get', { id: caseId }), (old) =>
        old ? (kind === 'reply' ? { ...old, draft: body || null } : { ...old, noteDraft: body || null }) : old,
      );
      return true;
    } catch {
      return false;
    }
  };
}

/** Push routing: takes an offered case (the hub's word, online only); the core has it in the cache already, so it opens at once. */
export const useAcceptOffer = (onAccepted: (item: QueueItem) => void) => useApiMutation('routing.accept', { onSuccess: onAccepted, errorTitle: i18n.t('mutations.acceptOffer') });
export const useDeclineOffer = () => useApiMutation('routing.decline', { errorTitle: i18n.t('mutations.declineOffer') });
/** Pull routing: the best waiting case, the user's at once (null: nothing waits). */
export const useNextCase = (onAnswer: (item: QueueItem | null) => void) => useApiMutation('routing.next', { onSuccess: onAnswer, errorTitle: i18n.t('mutations.nextCase') });
