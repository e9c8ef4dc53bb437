/**
 * An admin change: it goes to the hub at once (never queued), its error stays
 * in the dialog that made it (the admin fixes the input there), and what it
 * changed is read again: the admin lists, the console's users and queues.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiInput, ApiMethod, ApiOutput } from '../../../../shared/api';
import { call } from '../../api/client';
import { methodKey } from '../../api/queries';

export function useAdminMutation<M extends ApiMethod>(method: M, opts: { onSuccess?: (value: ApiOutput<M>) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiInput<M>) => call(method, input),
    onSuccess: async (value) => {
      // Users and queues reach the console's cache through the sync pull (the left rail, assignment menus): pull now, not at the next minute.
      await call('sync.now', {}).catch(() => undefined);
      await Promise.all(['admin.users.list', 'users.list', 'queues.list', 'admin.queues.routing'].map((m) => client.invalidateQueries({ queryKey: methodKey(m as ApiMethod) })));
      opts.onSuccess?.(value);
    },
  });
}
