import { useEffect } from 'react';
import { IconCpu } from '@tabler/icons-react';
import { api } from '../api/client';
import { i18n } from '../i18n';
import { showLinkToast } from './linkToast';

/** A toast for each device alert — agents must notice before the customer calls — with a way to the case. */
export function AlertToasts({ onOpenCase }: { onOpenCase: (caseId: string) => void }) {
  useEffect(
    () =>
      api.on('device:alert', (alert) =>
        showLinkToast({
          id: `alert-${alert.id}`,
          title: i18n.t('alerts.title', { device: alert.deviceId }),
          text: alert.message,
          color: 'orange',
          icon: <IconCpu size={16} />,
          autoClose: 10_000,
          link: { label: i18n.t('common.openCase'), testId: 'alert-open-case', onClick: () => onOpenCase(alert.caseId) },
        }),
      ),
    [onOpenCase],
  );
  return null;
}
