/**
 * The draft of a settings document an admin edits and saves with a reason
 * (SLA policies, plans): the draft and the reason, the schema's problems as
 * the admin types and the hub's refusal by field, Save and Discard — and
 * saves made elsewhere. The saved document comes live (`plans:changed`,
 * `sla:changed`, src/renderer/src/api/events.ts): while the draft is
 * untouched it takes the new one at once; over unsaved edits it keeps what
 * the admin typed and says that another admin saved (`newer`) until they
 * reload or choose to keep editing — Save waits for that choice, so nobody
 * replaces another admin's save without having been told of it. Each save
 * also sends the document the draft stands on (`expected`, the base): if
 * another admin saved in between and the news has not come yet, the hub
 * refuses (409, `hub.settingsConflict`), and that shows as the same notice.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { stableJson } from '../../../../shared/documents';
import { ApiCallError } from '../../api/client';
import { hubIssues, type Issues, localIssues } from './sla-form';

export interface SettingsDraftOptions<S, D> {
  /** The document as the hub keeps it (the query's data: replaced live when an admin saves). */
  saved: S;
  /** The draft made from a saved document, and the document a draft saves. */
  toDraft(saved: S): D;
  toSaved(draft: D): S;
  /** The schema the hub checks the save with (the document and the reason). */
  schema: z.ZodType;
  /** Saves on the hub, only if it still keeps `expected` (the document the draft stands on); resolves with what it keeps. */
  save(document: S, reason: string | undefined, expected: S): Promise<S>;
  /** The query the saved document is read by: the answer goes there. */
  queryKey: readonly unknown[];
  /** The title over the hub's refusal ("The hub did not save the SLA policies"). */
  refusedTitle: string;
}

export function useSettingsDraft<S, D>({ saved, toDraft, toSaved, schema, save: saveOnHub, queryKey, refusedTitle }: SettingsDraftOptions<S, D>) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [draft, setDraftState] = useState<D>(() => toDraft(saved));
  /** The saved document the draft stands on: the last one the admin saw (or chose to keep editing over). */
  const [base, setBase] = useState<S>(saved);
  const [reason, setReason] = useState('');

  const savedKey = stableJson(saved);
  const draftKey = stableJson(toSaved(draft));
  const baseKey = stableJson(base);
  // Another save came in (adjusted while rendering, React's way for a prop that changed): an untouched draft,
  // or one that already says the same, takes it at once; edits are kept and `newer` tells of it.
  if (baseKey !== savedKey && (draftKey === baseKey || draftKey === savedKey)) {
    setBase(saved);
    setDraftState(toDraft(saved));
  }
  const newer = baseKey !== savedKey && draftKey !== baseKey && draftKey !== savedKey;

  const save = useMutation({
    mutationFn: (sent: S) => saveOnHub(sent, reason.trim() || undefined, base),
    // Refused because another admin saved since: read what the hub keeps now (the notice then offers Reload / Keep editing).
    onError: (error) => isConflict(error) && void client.invalidateQueries({ queryKey }),
    onSuccess: (value, sent) => {
      // This console's own save is no news: the draft stands on it (edits typed while it went are kept).
      setBase(value);
      setDraftState((d) => (stableJson(toSaved(d)) === stableJson(sent) ? toDraft(value) : d));
      client.setQueryData(queryKey, value);
    },
  });
  /** An edit makes the hub's last refusal stale: the schema's live check speaks again. */
  const setDraft = (update: (d: D) => D) => {
    setDraftState(update);
    if (save.error) save.reset();
  };
  /** Back to what the hub keeps now: Discard, and Reload after another admin's save. */
  const reset = () => {
    setBase(saved);
    setDraftState(toDraft(saved));
    save.reset();
  };

  const dirty = draftKey !== savedKey;
  // The hub's "another admin saved" is the notice (until the newer document arrives, and after), not a refusal.
  const conflict = isConflict(save.error);
  const behind = newer || conflict;
  const local = localIssues(schema.safeParse({ ...toSaved(draft), reason }).error, t);
  const hub = save.error && !conflict ? hubIssues(save.error.message) : new Map<string, string>();
  const issues: Issues = new Map([...hub, ...local]);
  const canSave = dirty && local.size === 0 && !behind && !save.isPending;

  return {
    draft,
    setDraft,
    reason,
    setReason,
    dirty,
    issues,
    /** The first problem to fix (the hub's first), if any: [field, words]. */
    firstProblem: [...issues.entries()][0] ?? null,
    /** Another admin saved while this draft had edits: their save is not in the draft. */
    newer: behind,
    /** The form's submit (Enter in a field too): saves only a valid, changed draft the admin was told is not behind. */
    submit: () => canSave && save.mutate(toSaved(draft)),
    /** What the save footer shows and does (add the form's test id, example, problem and state). */
    footer: {
      reason,
      onReason: setReason,
      reasonError: issues.get('reason'),
      refused: save.error && !conflict ? { title: refusedTitle, text: [...new Set(hub.values())].join('; ') || save.error.message } : null,
      dirty,
      valid: local.size === 0,
      pending: save.isPending,
      onDiscard: () => (reset(), setReason('')),
      // Keep editing: the draft now stands on the newer save, which the next save sends as `expected` (a deliberate overwrite).
      newer: behind ? { onReload: reset, onKeep: () => (setBase(saved), save.reset()) } : null,
    },
  };
}

/** The hub refused a save because the document changed since the draft's base (`hub.settingsConflict`). */
const isConflict = (error: unknown): boolean => error instanceof ApiCallError && error.wording?.key === 'hub.settingsConflict';
