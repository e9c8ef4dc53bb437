/**
 * One case beside the queue: conflicts to decide first, the header with the
 * facts, the conversation and the composer; beside it the editable properties,
 * field work, knowledge articles for the reply and the customer at a glance.
 * On a small laptop (below 1200 px) those side panels fold into a drawer, so
 * the conversation and the composer keep the width and the height.
 * Every edit goes to the core, which applies it to its cache at once and sends
 * it to the hub when it can.
 */
import { type ReactNode, useRef, useState } from 'react';
import { ActionIcon, Badge, Box, Button, Center, Drawer, Group, Loader, Text, Tooltip } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconClock, IconFileOff, IconFlag, IconLayoutSidebarRightExpand, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CaseView as CaseViewData } from '../../../shared/api';
import type { User } from '../../../shared/domain';
import { useUpdateCase } from '../api/mutations';
import { useCaseView, useSyncStatus } from '../api/queries';
import { languageName, sentimentLabel } from '../lib/format';
import { formatTimestamp, fullTimestamp } from '../lib/time';
import { useNow } from '../lib/useNow';
import { isDone } from '../../../shared/policy';
import { PriorityBadge, StatusBadge } from './Badges';
import { CaseProperties } from './case/CaseProperties';
import { CaseSyncBadges } from './case/CaseSyncBadges';
import { Composer, type ComposerHandle } from './case/Composer';
import { ConflictBanner } from './case/ConflictBanner';
import { FieldWork } from './case/FieldWork';
import { KnowledgePanel } from './case/KnowledgePanel';
import { SubjectEditor } from './case/SubjectEditor';
import { useCaseWatchers, useWatchCase, Watchers } from './case/Watchers';
import { ChannelIcon, channelLabel } from './ChannelIcon';
import { CustomerSummary } from './CustomerSummary';
import { MessageTimeline } from './MessageTimeline';
import { SlaCountdown } from './SlaCountdown';
import { EmptyState, ErrorState } from './States';
import classes from './CaseView.module.css';
import { priorityWhyText } from '../lib/priority-why';

/** Below this the side panels are a drawer: beside the list they would leave the conversation a sliver. */
const SIDE_AS_DRAWER = '(max-width: 1199px)';

interface Props {
  caseId: string;
  me: User;
  onClose: () => void;
  onOpenCase: (id: string) => void;
}

export function CaseView({ caseId, me, onClose, onOpenCase }: Props) {
  const { t } = useTranslation();
  const { data, isPending, error, refetch } = useCaseView(caseId);
  let content: ReactNode;
  if (isPending) {
    content = (
      <Center h="100%" data-testid="case-loading">
        <Loader size="sm" />
      </Center>
    );
  } else if (error) {
    content = <ErrorState title={t('case.openFailed')} error={error} onRetry={() => void refetch()} />;
  } else if (!data) {
    content = <EmptyState icon={<IconFileOff size={20} />} title={t('case.unavailableTitle')} hint={t('case.unavailableHint')} />;
  }
  if (content) {
    return (
      <Box className={classes.root}>
        <CloseButton onClose={onClose} />
        {content}
      </Box>
    );
  }
  return <CaseDetail view={data!} me={me} onClose={onClose} onOpenCase={onOpenCase} />;
}

function CloseButton({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('case.closeTooltip')}>
      <ActionIcon variant="subtle" color="gray" size="sm" onClick={onClose} aria-label={t('case.close')} className={classes.close} data-testid="case-close">
        <IconX size={16} />
      </ActionIcon>
    </Tooltip>
  );
}

interface DetailProps {
  view: CaseViewData;
  me: User;
  onClose: () => void;
  onOpenCase: (id: string) => void;
}

function CaseDetail({ view, me, onClose, onOpenCase }: DetailProps) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const online = useSyncStatus().data?.online ?? false;
  const update = useUpdateCase(view.case.id);
  const composer = useRef<ComposerHandle>(null);
  const c = view.case;
  const sentiment = sentimentLabel(c.sentiment);
  // Collision detection: who else is on the case, and telling them what this console does with it.
  const [replying, setReplying] = useState(false);
  useWatchCase(c.id, replying);
  const watchers = useCaseWatchers(c.id);
  const sideAsDrawer = useMediaQuery(SIDE_AS_DRAWER, false, { getInitialValueInEffect: false });
  const [detailsOpen, setDetailsOpen] = useState(false);
  // Across the breakpoint the drawer starts shut (React's "adjust state while rendering", no effect).
  const [drawerLayout, setDrawerLayout] = useState(sideAsDrawer);
  if (drawerLayout !== sideAsDrawer) {
    setDrawerLayout(sideAsDrawer);
    setDetailsOpen(false);
  }
  const side = (
    <>
      <CaseProperties item={c} me={me} />
      <FieldWork item={c} />
      <KnowledgePanel
        caseId={c.id}
        caseTags={c.tags}
        caseLanguage={c.language}
        suggested={view.articles}
        onInsert={(article) => {
          composer.current?.insertInReply(`${article.title}\n\n${article.body}`);
          setDetailsOpen(false);
        }}
      />
      <CustomerSummary customer={view.customer} device={view.device} otherCases={view.customerCases} onOpenCase={onOpenCase} />
    </>
  );
  return (
    <Box className={classes.root} data-testid="case-view" data-case-id={c.id} data-pending={c.pendingChanges} data-local-only={c.localOnly || undefined}>
      <Box className={classes.main}>
        <ConflictBanner caseId={c.id} conflicts={view.conflicts} />
        <Box className={classes.header}>
          <Group gap={8} wrap="nowrap" pr={32}>
            <ChannelIcon channel={c.channel} size={16} />
            <Text size="xs" c="dimmed" className="tabular" data-testid="case-number" style={{ whiteSpace: 'nowrap' }}>
              {c.localOnly ? t('case.newCase') : t('case.number', { number: c.number })}
            </Text>
            <Text size="xs" c="dimmed">
              ·
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {c.queueName}
            </Text>
            <CaseSyncBadges item={c} online={online} />
            {sideAsDrawer && (
              <Button size="compact-xs" variant="light" color="gray" ml="auto" leftSection={<IconLayoutSidebarRightExpand size={14} />} onClick={() => setDetailsOpen(true)} data-testid="case-details-open">
                {t('case.details')}
              </Button>
            )}
          </Group>
          <CloseButton onClose={onClose} />
          <SubjectEditor key={c.subject} subject={c.subject} language={c.language} onSave={(subject) => update.mutate({ id: c.id, fields: { subject } })} />
          <Group gap={6} mt={8}>
            <StatusBadge status={c.status} />
            <PriorityBadge priority={c.priority} why={{ score: c.priorityScore, text: priorityWhyText(c.priorityWhyParts) }} />
            <Group gap={4} wrap="nowrap" px={4} data-testid="case-sla">
              <IconClock size={14} color="var(--mantine-color-dimmed)" />
              <Text span size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {t('sla.firstResponse')}
              </Text>
              <SlaCountdown dueAt={c.slaDueAt} now={now} done={isDone(c.status)} clock={c.sla} />
            </Group>
            {/* Both targets on the shared clock (src/shared/sla.ts), by the case's own policy: paused in the statuses it pauses on. */}
            <Group gap={4} wrap="nowrap" px={4} data-testid="case-resolution-sla">
              <IconFlag size={14} color="var(--mantine-color-dimmed)" />
              <Text span size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {t('sla.resolution')}
              </Text>
              <SlaCountdown dueAt={c.resolutionDueAt} now={now} done={isDone(c.status)} clock={c.sla} target="resolution" />
            </Group>
            <Text span size="xs" c="dimmed" data-testid="case-priority-why" title={t('case.priorityWhyTitle')}>
              {t('case.score', { score: c.priorityScore, text: priorityWhyText(c.priorityWhyParts) })}
            </Text>
            {c.tags.map((tag) => (
              <Badge key={tag} size="xs" variant="outline" color="gray" tt="none" fw={500}>
                {tag}
              </Badge>
            ))}
            {/* Right-aligned; on a narrow case it wraps under the badges. */}
            <Box ml="auto" style={{ minWidth: 0, maxWidth: '100%' }}>
              <Watchers watchers={watchers} now={now} />
            </Box>
          </Group>
          <div className={classes.facts}>
            <Fact label={t('case.facts.assignee')}>
              <Text span size="sm" c={c.assigneeName ? undefined : 'dimmed'} fs={c.assigneeName ? undefined : 'italic'}>
                {c.assigneeName ?? t('queue.unassigned')}
              </Text>
            </Fact>
            <Fact label={t('case.facts.channel')}>
              <Group gap={6} wrap="nowrap">
                <ChannelIcon channel={c.channel} size={14} tooltip={false} />
                <Text span size="sm">
                  {channelLabel(c.channel)}
                </Text>
              </Group>
            </Fact>
            <Fact label={t('case.facts.queue')}>{c.queueName}</Fact>
            <Fact label={t('case.facts.created')}>
              <span title={fullTimestamp(c.createdAt)}>{formatTimestamp(c.createdAt, now)}</span>
            </Fact>
            <Fact label={t('case.facts.updated')}>
              <span title={fullTimestamp(c.updatedAt)}>{formatTimestamp(c.updatedAt, now)}</span>
            </Fact>
            <Fact label={t('case.facts.language')}>{languageName(c.language)}</Fact>
            <Fact label={t('case.facts.sentiment')}>
              <Text span size="sm" c={sentiment.color}>
                {sentiment.label}
              </Text>
            </Fact>
          </div>
        </Box>
        <MessageTimeline messages={view.messages} language={c.language} caseId={c.id} online={online} />
        <Composer ref={composer} item={c} draft={view.draft} noteDraft={view.noteDraft} customer={view.customer} messages={view.messages} me={me} onReplyingChange={setReplying} />
      </Box>
      {sideAsDrawer ? (
        <Drawer opened={detailsOpen} onClose={() => setDetailsOpen(false)} position="right" size={360} title={t('case.detailsTitle')} padding={0} classNames={{ header: classes.drawerHeader }} data-testid="case-details-drawer">
          <Box className={classes.drawerSide}>{side}</Box>
        </Drawer>
      ) : (
        <Box className={classes.side} data-testid="case-side">
          {side}
        </Box>
      )}
    </Box>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="11px" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.04em' }}>
        {label}
      </Text>
      <Text component="div" size="sm" truncate>
        {children}
      </Text>
    </div>
  );
}
