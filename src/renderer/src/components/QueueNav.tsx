/** The left rail: a new case, personal views (a technician's briefcase first) and the user's queues, each with its count. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, Box, Button, Kbd, NavLink, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { IconAt, IconBriefcase, IconChartBar, IconHistory, IconInbox, IconPlus, IconSettings, IconStack2, IconUser, IconUserQuestion, IconUsers } from '@tabler/icons-react';
import type { Queue, Role } from '../../../shared/domain';
import { OVERSEER_ROLES } from '../../../shared/policy';
import { useCaseCounts, useNewMentionCount } from '../api/queries';
import { filterFor, sameView, type View } from '../lib/views';
import { caseDropTarget } from './reassign/dnd';

type PersonalKind = 'briefcase' | 'mine' | 'unassigned' | 'all';
const BRIEFCASE = { kind: 'briefcase' as PersonalKind, view: { kind: 'briefcase' } as View, icon: <IconBriefcase size={16} stroke={1.7} /> };
const PERSONAL: { kind: PersonalKind; view: View; icon: ReactNode }[] = [
  { kind: 'mine', view: { kind: 'mine' }, icon: <IconUser size={16} stroke={1.7} /> },
  { kind: 'unassigned', view: { kind: 'unassigned' }, icon: <IconUserQuestion size={16} stroke={1.7} /> },
  { kind: 'all', view: { kind: 'all' }, icon: <IconInbox size={16} stroke={1.7} /> },
];

/** Supervisors' and admins' screens (the hub refuses their calls to everyone else too). */
const OVERSIGHT: { kind: 'board' | 'agents' | 'audit' | 'admin'; view: View; icon: ReactNode; roles: readonly Role[] }[] = [
  { kind: 'board', view: { kind: 'board' }, icon: <IconChartBar size={16} stroke={1.7} />, roles: OVERSEER_ROLES },
  { kind: 'agents', view: { kind: 'agents' }, icon: <IconUsers size={16} stroke={1.7} />, roles: OVERSEER_ROLES },
  { kind: 'audit', view: { kind: 'audit' }, icon: <IconHistory size={16} stroke={1.7} />, roles: OVERSEER_ROLES },
  { kind: 'admin', view: { kind: 'admin' }, icon: <IconSettings size={16} stroke={1.7} />, roles: ['admin'] },
];

interface Props {
  queues: Queue[] | undefined;
  role: Role;
  view: View;
  onView: (view: View) => void;
  onNewCase: () => void;
  /** Supervisors and admins: cases dropped on a queue (to reassign them there). */
  onDropCases?: (ids: string[], queueId: string) => void;
  /** Agents: "Next case" (components/routing), under "New case". */
  nextCase?: ReactNode;
}

export function QueueNav({ queues, role, view, onView, onNewCase, onDropCases, nextCase }: Props) {
  const { t } = useTranslation();
  // Technicians work from what their laptop holds: the briefcase comes first for them.
  const personal = role === 'technician' ? [BRIEFCASE, ...PERSONAL] : PERSONAL;
  const entries = [
    ...personal.map((entry) => ({ label: t(`views.${entry.kind}`), view: entry.view, icon: entry.icon, key: entry.view.kind })),
    ...(queues ?? []).map((q) => ({ label: q.name, view: { kind: 'queue', queueId: q.id } as View, icon: <IconStack2 size={16} stroke={1.7} />, key: q.id, description: q.description })),
  ];
  const counts = useCaseCounts(entries.map((entry) => filterFor(entry.view)));
  const newMentions = useNewMentionCount().data;
  const mentionsActive = view.kind === 'mentions';

  const link = (entry: (typeof entries)[number], index: number) => {
    const active = sameView(view, entry.view);
    const count = counts[index];
    // A queue takes dropped cases (supervisors): the reassign dialog opens with it chosen.
    const queueId = entry.view.kind === 'queue' ? entry.view.queueId : null;
    const drop = queueId && onDropCases ? caseDropTarget((ids) => onDropCases(ids, queueId)) : {};
    return (
      <NavLink
        {...drop}
        aria-current={active ? 'page' : undefined}
        key={entry.key}
        label={entry.label}
        title={'description' in entry ? entry.description : undefined}
        leftSection={entry.icon}
        active={active}
        onClick={() => onView(entry.view)}
        data-testid="queue-nav-item"
        data-view={entry.view.kind === 'queue' ? `queue:${entry.label}` : entry.view.kind}
        rightSection={
          count === undefined ? null : (
            <Badge size="sm" variant={active ? 'filled' : 'light'} color={active ? 'indigo' : 'gray'} className="tabular" data-testid="queue-nav-count">
              {count}
            </Badge>
          )
        }
        styles={{ label: { fontSize: 13 } }}
        style={{ borderRadius: 'var(--mantine-radius-sm)' }}
      />
    );
  };

  return (
    <Stack gap={0} h="100%" data-testid="queue-nav">
      <Box px={12} pt={12}>
        <Button
          fullWidth
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          rightSection={<Kbd size="xs">n</Kbd>}
          justify="space-between"
          onClick={onNewCase}
          data-testid="new-case-button"
        >
          {t('nav.newCase')}
        </Button>
        {nextCase && <Box mt={8}>{nextCase}</Box>}
      </Box>
      <ScrollArea style={{ flex: 1 }} px={8} py={10}>
        <SectionTitle>{t('nav.views')}</SectionTitle>
        {entries.slice(0, personal.length).map(link)}
        <NavLink
          aria-current={mentionsActive ? 'page' : undefined}
          label={t('views.mentions')}
          title={t('nav.mentionsHint')}
          leftSection={<IconAt size={16} stroke={1.7} />}
          active={mentionsActive}
          onClick={() => onView({ kind: 'mentions' })}
          data-testid="queue-nav-item"
          data-view="mentions"
          rightSection={
            newMentions === undefined ? null : (
              <Badge
                size="sm"
                variant={mentionsActive ? 'filled' : 'light'}
                color={newMentions > 0 ? 'grape' : 'gray'}
                className="tabular"
                title={t('nav.newMentions', { count: newMentions })}
                data-testid="mentions-count"
                data-count={newMentions}
              >
                {newMentions}
              </Badge>
            )
          }
          styles={{ label: { fontSize: 13 } }}
          style={{ borderRadius: 'var(--mantine-radius-sm)' }}
        />
        {OVERSIGHT.filter((entry) => entry.roles.includes(role)).map((entry) => (
          <NavLink
            aria-current={view.kind === entry.view.kind ? 'page' : undefined}
            key={entry.kind}
            label={t(`views.${entry.kind}`)}
            title={t(`nav.${entry.kind}Hint`)}
            leftSection={entry.icon}
            active={view.kind === entry.view.kind}
            onClick={() => onView(entry.view)}
            data-testid="queue-nav-item"
            data-view={entry.view.kind}
            styles={{ label: { fontSize: 13 } }}
            style={{ borderRadius: 'var(--mantine-radius-sm)' }}
          />
        ))}
        <SectionTitle mt={14}>{t('nav.queues')}</SectionTitle>
        {queues === undefined
          ? Array.from({ length: 4 }, (_, i) => <Skeleton key={i} h={14} my={10} mx={10} w="70%" />)
          : entries.slice(personal.length).map((entry, i) => link(entry, personal.length + i))}
        {queues?.length === 0 && (
          <Text size="xs" c="dimmed" px={10} py={6}>
            {t('nav.noQueues')}
          </Text>
        )}
      </ScrollArea>
      <Box px={14} py={10} style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <Text size="xs" c="dimmed" lh={1.9}>
          <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> {t('nav.keyMove')} · <Kbd size="xs">{t('keys.enter')}</Kbd> {t('nav.keyOpen')}
          <br />
          <Kbd size="xs">/</Kbd> {t('nav.keySearch')} · <Kbd size="xs">{t('keys.esc')}</Kbd> {t('nav.keyClose')}
          <br />
          <Kbd size="xs">n</Kbd> {t('nav.keyNewCase')}
        </Text>
      </Box>
    </Stack>
  );
}

function SectionTitle({ children, mt = 0 }: { children: ReactNode; mt?: number }) {
  return (
    <Text size="11px" fw={700} c="dimmed" tt="uppercase" px={10} pb={4} mt={mt} style={{ letterSpacing: '0.05em' }}>
      {children}
    </Text>
  );
}
