/**
 * One text of the composer (the reply or the internal note) kept as a draft:
 * saved a moment after each pause in typing, and when the case closes or the
 * window goes (within the pause too), so switching cases, a crash or a
 * restart never loses it. Sending clears it (the core drops the draft in the
 * same transaction as the message).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DraftKind } from '../../../../shared/api';
import { useSaveDraft } from '../../api/mutations';

const DRAFT_SAVE_MS = 300;

export type DraftState = 'saved' | 'saving' | 'failed' | null;

export interface Draft {
  text: string;
  setText: (text: string) => void;
  /** Adds a block of text at the end, after a blank line. */
  append: (block: string) => void;
  state: DraftState;
  /** Before sending: no save of this text may land after the message (it would bring the draft back). */
  hold: () => void;
  /** The message went: the draft is gone on the core's side too. */
  sent: () => void;
  /** The message did not go: keep the text as the draft. */
  failed: () => void;
}

export function useDraft(caseId: string, kind: DraftKind, initial: string | null): Draft {
  const [text, setText] = useState(initial ?? '');
  const [state, setState] = useState<DraftState>(initial ? 'saved' : null);
  const saved = useRef(initial ?? '');
  const latest = useRef(text);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    latest.current = text;
  }, [text]);
  const saveDraft = useSaveDraft(caseId, kind);
  const saveRef = useRef(saveDraft);
  useEffect(() => {
    saveRef.current = saveDraft;
  }, [saveDraft]);

  // The view's draft can change after this opened: the last keystrokes of the case's previous opening,
  // saved as it closed, may land after the view this opening started from was read. Taken up unless
  // something was typed here since the last save (what is on screen is then newer).
  useEffect(() => {
    const incoming = initial ?? '';
    if (incoming === saved.current || latest.current !== saved.current) return;
    saved.current = incoming;
    latest.current = incoming;
    setText(incoming);
    setState(incoming ? 'saved' : null);
  }, [initial]);

  // The draft follows the typing, debounced.
  useEffect(() => {
    if (text === saved.current) return;
    setState('saving');
    timer.current = setTimeout(() => {
      timer.current = null;
      saved.current = text;
      void saveRef.current(text).then((ok) => setState(ok ? (text ? 'saved' : null) : 'failed'));
    }, DRAFT_SAVE_MS);
    return () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [text]);

  // Closing the case (or the window) within the debounce still keeps what was typed.
  useEffect(() => {
    const flush = () => {
      if (latest.current !== saved.current) {
        saved.current = latest.current;
        void saveRef.current(latest.current);
      }
    };
    window.addEventListener('beforeunload', flush);
    return () => {
      window.removeEventListener('beforeunload', flush);
      flush();
    };
  }, []);

  const append = useCallback((block: string) => setText((previous) => (previous.trim() ? `${previous.trimEnd()}\n\n${block}` : block)), []);
  const hold = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    saved.current = latest.current;
  }, []);
  const sent = useCallback(() => {
    saved.current = '';
    latest.current = '';
    setText('');
    setState(null);
  }, []);
  const failed = useCallback(() => {
    void saveRef.current(latest.current).then((ok) => setState(ok ? (latest.current ? 'saved' : null) : 'failed'));
  }, []);
  return { text, setText, append, state, hold, sent, failed };
}
