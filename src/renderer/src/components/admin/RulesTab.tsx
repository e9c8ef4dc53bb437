/**
 * The brand's rules document (rules as data): edited as YAML or JSON with the
 * hub's own validation as the admin types — each error marked at its line and
 * listed with its field — and saved as a new version with an optional reason
 * (audited); every hub applies it within seconds.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Badge, Box, Button, Group, SegmentedControl, Stack, Text, TextInput, UnstyledButton, useComputedColorScheme } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconDeviceFloppy } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import CodeMirror, { EditorView, type ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { json } from '@codemirror/lang-json';
import { yaml } from '@codemirror/lang-yaml';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import type { AdminUser } from '../../../../shared/admin';
import { formatRuleError, type RuleError, type RulesCheck, type RulesDocumentView } from '../../../../shared/rules';
import { call } from '../../api/client';
import { apiKey, useApiQuery } from '../../api/queries';
import { formatTimestamp } from '../../lib/time';

const CHECK_DELAY_MS = 400;

/** The dark editor's surface (more specific than One Dark's own rules, which it overrides). */
const DARK_SURFACE = EditorView.theme({
  '&.cm-editor': { backgroundColor: '#141619' },
  '&.cm-editor .cm-gutters': { backgroundColor: '#141619' },
  '&.cm-editor .cm-gutterElement': { color: '#abb2bf' },
});

export function RulesTab({ users }: { users: AdminUser[] }) {
  const { t } = useTranslation();
  const document = useApiQuery('admin.rules.get', {}, { retry: false });
  if (!document.data) {
    return (
      <Text size="sm" c="dimmed" p="md">
        {document.error ? document.error.message : t('admin.loading')}
      </Text>
    );
  }
  // A save (here or by another admin) starts the editor again from what the hub keeps.
  return <RulesEditor key={document.data.version} saved={document.data} users={users} />;
}

function RulesEditor({ saved, users }: { saved: RulesDocumentView; users: AdminUser[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const editor = useRef<ReactCodeMirrorRef>(null);
  // The editor paints its own surface: it follows the console's scheme, or dark text sits on white.
  const scheme = useComputedColorScheme('light');
  const [source, setSource] = useState(saved.source);
  const [format, setFormat] = useState(saved.format);
  const [reason, setReason] = useState('');
  const [verdict, setVerdict] = useState<RulesCheck | null>(null);
  const dirty = source !== saved.source || format !== saved.format;

  // The hub's verdict on what is in the editor, once typing pauses.
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      call('admin.rules.check', { format, source }).then(
        (answer) => current && setVerdict(answer),
        () => current && setVerdict(null),
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [format, source]);

  const errors = useMemo(() => (verdict && !verdict.ok ? verdict.errors : []), [verdict]);
  useEffect(() => {
    const view = editor.current?.view;
    if (view) view.dispatch(setDiagnostics(view.state, errors.map((e) => diagnosticOf(view, e))));
  }, [errors]);

  const save = useMutation({
    mutationFn: () => call('admin.rules.save', { format, source, reason: reason.trim() || undefined }),
    onSuccess: (result) => {
      if (result.ok) client.setQueryData(apiKey('admin.rules.get', {}), result.view);
      else setVerdict({ ok: false, errors: result.errors });
    },
  });
  const documentLabel = t('admin.rules.document');
  // The editable surface is CodeMirror's own contenteditable, not the wrapper: it carries the name screen
  // readers read, and a tabindex so the scrolling frames around it count as reachable by keyboard.
  const extensions = useMemo(
    () => [
      format === 'json' ? json() : yaml(),
      lintGutter(),
      EditorView.contentAttributes.of({ 'aria-label': documentLabel, tabindex: '0' }),
      // One Dark's comments and line numbers (#7d8799, 3.9:1) and its property names (#e06c75, 4.4:1) miss AA on its
      // #282c34: a darker surface lets every token pass, also on the active line; line numbers in its text colour.
      ...(scheme === 'dark' ? [DARK_SURFACE] : []),
    ],
    [format, documentLabel, scheme],
  );
  const savedBy = users.find((u) => u.id === saved.updatedBy)?.name ?? (saved.updatedBy ? t('admin.rules.anAdmin') : t('admin.rules.theFile'));

  const goTo = (line: number) => {
    const view = editor.current?.view;
    if (!view || line < 1 || line > view.state.doc.lines) return;
    view.dispatch({ selection: { anchor: view.state.doc.line(line).from }, scrollIntoView: true });
    view.focus();
  };

  return (
    <Stack gap="sm" p="md" style={{ minHeight: 0, flex: 1 }} data-testid="admin-rules">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs">
          <Badge variant="light" data-testid="rules-version">
            {t('admin.rules.version', { version: saved.version })}
          </Badge>
          <Text size="xs" c="dimmed">
            {saved.updatedAt ? t('admin.rules.savedBy', { time: formatTimestamp(saved.updatedAt), who: savedBy }) : t('admin.rules.notSaved')} · {t('admin.rules.applied')}
          </Text>
        </Group>
        <SegmentedControl
          size="xs"
          value={format}
          onChange={(value) => setFormat(value === 'json' ? 'json' : 'yaml')}
          data={[
            { value: 'yaml', label: 'YAML' },
            { value: 'json', label: 'JSON' },
          ]}
          aria-label={t('admin.rules.format')}
        />
      </Group>
      <Box style={{ flex: 1, minHeight: 200, overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}>
        <CodeMirror ref={editor} theme={scheme} value={source} onChange={setSource} extensions={extensions} basicSetup={{ foldGutter: true, highlightActiveLine: true }} data-testid="rules-editor" />
      </Box>
      <Verdict verdict={verdict} errors={errors} onError={goTo} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (dirty && verdict?.ok && !save.isPending) save.mutate();
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput label={t('admin.why')} placeholder={t('admin.rules.whyExample')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} style={{ flex: 1 }} />
          <Button type="submit" leftSection={<IconDeviceFloppy size={16} />} disabled={!dirty || !verdict?.ok} loading={save.isPending} data-testid="rules-save">
            {t('admin.rules.save')}
          </Button>
        </Group>
      </form>
      {save.error && (
        <Alert color="red" title={t('admin.rules.notSavedError')}>
          {save.error.message}
        </Alert>
      )}
    </Stack>
  );
}

function Verdict({ verdict, errors, onError }: { verdict: RulesCheck | null; errors: RuleError[]; onError: (line: number) => void }) {
  const { t } = useTranslation();
  if (!verdict) return null;
  if (verdict.ok) {
    return (
      <Group gap={6} data-testid="rules-verdict">
        <IconCircleCheck size={16} color="var(--mantine-color-teal-6)" aria-hidden />
        <Text size="sm">
          {t('admin.rules.loads', { count: verdict.rules })}
        </Text>
      </Group>
    );
  }
  return (
    <Stack gap={4} data-testid="rules-verdict" role="alert">
      <Group gap={6}>
        <IconAlertTriangle size={16} color="var(--mantine-color-red-6)" aria-hidden />
        <Text size="sm" fw={500}>
          {t('admin.rules.errors', { count: errors.length })}
        </Text>
      </Group>
      {errors.slice(0, 20).map((e, i) => (
        <UnstyledButton key={`${i}-${e.line}-${e.path}`} onClick={() => onError(e.line)} data-testid="rules-error">
          <Text size="sm" ff="monospace" c="red.8">
            {formatRuleError(e)}
          </Text>
        </UnstyledButton>
      ))}
    </Stack>
  );
}

/** An error as the editor marks it: its whole line (or the document's first, when the place is unknown). */
function diagnosticOf(view: EditorView, error: RuleError): Diagnostic {
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(error.line, 1), doc.lines));
  return { from: line.from, to: line.to, severity: 'error', message: error.path ? `${error.path}: ${error.message}` : error.message };
}
