/** The left rail: a new case, personal views (a technician's briefcase first) and the user's queues, each with its count. */
import type { ReactNode } from 'react';
import { Badge, Box, Button, Kbd, NavLink, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { IconAt, IconBriefcase, IconChartBar, IconHistory, IconInbox, IconPlus, IconSettings, IconStack2, IconUser, IconUserQuestion, IconUsers } from '@tabler/icons-react';
import type { Queue, Role } from '../../../shared/domain';
import { OVERSEER_ROLES } from '../../../shared/policy';
import { useCaseCounts, useNewMentionCount } from '../api/queries';
import { filterFor, sameView, type View } from '../lib/views';
import { caseDropTarget } from './reassign/dnd';

const BRIEFCASE = { label: 'Briefcase', view: { kind: 'briefcase' } as View, icon: <IconBriefcase size={16} stroke={1.7} /> };
const PERSONAL: { label: string; view: View; icon: ReactNode }[] = [
  { label: 'My work', view: { kind: 'mine' }, icon: <IconUser size={16} stroke={1.7} /> },
  { label: 'Unassigned', view: { kind: 'unassigned' }, icon: <IconUserQuestion size={16} stroke={1.7} /> },
  { label: 'All active', view: { kind: 'all' }, icon: <IconInbox size={16} stroke={1.7} /> },
];

/** Supervisors' and admins' screens (the hub refuses their calls to everyone else too). */
const OVERSIGHT: { label: string; title: string; view: View; icon: ReactNode; roles: readonly Role[] }[] = [
  { label: 'Queue board', title: "Every queue's live figures: waiting, SLAs, arrivals, agents available and needed", view: { kind: 'board' }, icon: <IconChartBar size={16} stroke={1.7} />, roles: OVERSEER_ROLES },
  { label: 'Agents board', title: 'Every agent live: presence and time in it, current work and capacity, handled today', view: { kind: 'agents' }, icon: <IconUsers size={16} stroke={1.7} />, roles: OVERSEER_ROLES },
  { label: 'Audit log', title: 'Who changed what, when and why: reassignments, membership, presence, consent, sign-outs, admin changes', view: { kind: 'audit' }, icon: <IconHistory size={16} stroke={1.7} />, roles: OVERSEER_ROLES },
  { label: 'Administration', title: 'Users, queues and members, channel settings', view: { kind: 'admin' }, icon: <IconSettings size={16} stroke={1.7} />, roles: ['admin'] },
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
  // Technicians work from what their laptop holds: the briefcase comes first for them.
  const personal = role === 'technician' ? [BRIEFCASE, ...PERSONAL] : PERSONAL;
  const entries = [
    ...personal.map((entry) => ({ ...entry, key: entry.view.kind })),
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
          New case
        </Button>
        {nextCase && <Box mt={8}>{nextCase}</Box>}
      </Box>
      <ScrollArea style={{ flex: 1 }} px={8} py={10}>
        <SectionTitle>Views</SectionTitle>
        {entries.slice(0, personal.length).map(link)}
        <NavLink
          label="Mentions"
          title="Posts that name the brand: convert them into cases or dismiss them"
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
                title={`${newMentions} new`}
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
            key={entry.view.kind}
            label={entry.label}
            title={entry.title}
            leftSection={entry.icon}
            active={view.kind === entry.view.kind}
            onClick={() => onView(entry.view)}
            data-testid="queue-nav-item"
            data-view={entry.view.kind}
            styles={{ label: { fontSize: 13 } }}
            style={{ borderRadius: 'var(--mantine-radius-sm)' }}
          />
        ))}
        <SectionTitle mt={14}>Queues</SectionTitle>
        {queues === undefined
          ? Array.from({ length: 4 }, (_, i) => <Skeleton key={i} h={14} my={10} mx={10} w="70%" />)
          : entries.slice(personal.length).map((entry, i) => link(entry, personal.length + i))}
        {queues?.length === 0 && (
          <Text size="xs" c="dimmed" px={10} py={6}>
            You are not a member of any queue.
          </Text>
        )}
      </ScrollArea>
      <Box px={14} py={10} style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
        <Text size="xs" c="dimmed" lh={1.9}>
          <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> move · <Kbd size="xs">Enter</Kbd> open
          <br />
          <Kbd size="xs">/</Kbd> search · <Kbd size="xs">Esc</Kbd> close
          <br />
          <Kbd size="xs">n</Kbd> new case
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
