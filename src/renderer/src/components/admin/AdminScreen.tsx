/**
 * Administration (admins; the hub refuses these calls to everyone else):
 * users — role, skills, capacity, password, sign out everywhere, presence —,
 * queues with their members and routing, the channel settings that are not
 * secrets (handles, keywords, consent policy), the rules document (validated as
 * it is typed), the SLA policies per plan and what each plan includes. Every
 * change goes to the hub at once.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Box, Tabs, Text } from '@mantine/core';
import { IconAlarm, IconBroadcast, IconGitBranch, IconLicense, IconStack2, IconUsers } from '@tabler/icons-react';
import { useApiQuery, useQueues, useSession } from '../../api/queries';
import { ViewToolbar } from '../ListView';
import { ChannelsTab } from './ChannelsTab';
import { PlansTab } from './PlansTab';
import { QueuesTab } from './QueuesTab';
import { RulesTab } from './RulesTab';
import { SlaTab } from './SlaTab';
import { UsersTab } from './UsersTab';

type Tab = 'users' | 'queues' | 'channels' | 'rules' | 'sla' | 'plans';

export function AdminScreen() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('users');
  const users = useApiQuery('admin.users.list', {}, { retry: false });
  const queues = useQueues().data ?? [];
  // The hub refuses the SLA policies and the plans to everyone but admins: nobody else is shown those tabs.
  const isAdmin = useSession().data?.user.role === 'admin';
  const total = tab === 'users' ? users.data?.length : tab === 'queues' ? queues.length : undefined;

  return (
    <Box data-testid="admin-screen" style={{ display: 'flex', flexDirection: 'column', minHeight: 0, height: '100%' }}>
      <ViewToolbar title={t('views.admin')} total={total} noun={tab === 'users' ? 'user' : tab === 'queues' ? 'queue' : ''}>
        <Text size="xs" c="dimmed">
          {t('admin.onlineOnly')}
        </Text>
      </ViewToolbar>
      <Tabs value={tab} onChange={(value) => setTab((value as Tab | null) ?? 'users')} keepMounted={false} style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }}>
        <Tabs.List px="md">
          <Tabs.Tab value="users" leftSection={<IconUsers size={14} />} data-testid="admin-tab-users">
            {t('admin.tabs.users')}
          </Tabs.Tab>
          <Tabs.Tab value="queues" leftSection={<IconStack2 size={14} />} data-testid="admin-tab-queues">
            {t('admin.tabs.queues')}
          </Tabs.Tab>
          <Tabs.Tab value="channels" leftSection={<IconBroadcast size={14} />} data-testid="admin-tab-channels">
            {t('admin.tabs.channels')}
          </Tabs.Tab>
          <Tabs.Tab value="rules" leftSection={<IconGitBranch size={14} />} data-testid="admin-tab-rules">
            {t('admin.tabs.rules')}
          </Tabs.Tab>
          {isAdmin && (
            <Tabs.Tab value="sla" leftSection={<IconAlarm size={14} />} data-testid="admin-tab-sla">
              SLA
            </Tabs.Tab>
          )}
          {isAdmin && (
            <Tabs.Tab value="plans" leftSection={<IconLicense size={14} />} data-testid="admin-tab-plans">
              {t('admin.tabs.plans')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="users" style={{ minHeight: 0, flex: 1, display: 'flex', flexDirection: 'column' }}>
          <UsersTab users={users} queues={queues} />
        </Tabs.Panel>
        <Tabs.Panel value="queues" style={{ minHeight: 0, flex: 1, display: 'flex', flexDirection: 'column' }}>
          <QueuesTab users={users} queues={queues} />
        </Tabs.Panel>
        <Tabs.Panel value="channels" style={{ minHeight: 0, flex: 1, display: 'flex', flexDirection: 'column' }}>
          <ChannelsTab />
        </Tabs.Panel>
        <Tabs.Panel value="rules" style={{ minHeight: 0, flex: 1, display: 'flex', flexDirection: 'column' }}>
          <RulesTab users={users.data ?? []} />
        </Tabs.Panel>
        {isAdmin && (
          <Tabs.Panel value="sla" style={{ minHeight: 0, flex: 1, display: 'flex', flexDirection: 'column' }}>
            <SlaTab queues={queues} />
          </Tabs.Panel>
        )}
        {isAdmin && (
          <Tabs.Panel value="plans" style={{ minHeight: 0, flex: 1, display: 'flex', flexDirection: 'column' }}>
            <PlansTab />
          </Tabs.Panel>
        )}
      </Tabs>
    </Box>
  );
}
