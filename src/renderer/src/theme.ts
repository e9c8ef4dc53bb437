/** One restrained theme: system fonts (no remote content), dense sizes, small radii. */
import { Badge, createTheme, type DefaultMantineColor, Drawer, type MantineColorsTuple, Menu, Modal, NavLink, Notification, Tooltip } from '@mantine/core';

export const SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, "Helvetica Neue", Arial, sans-serif';

/**
 * Mantine's gray with shade 6 (dimmed text, muted labels) darkened from #868e96 (3.3:1 on white) to
 * pass WCAG AA's 4.5:1 on white and on the gray-0/gray-1 panels.
 */
const gray: MantineColorsTuple = ['#f8f9fa', '#f1f3f5', '#e9ecef', '#dee2e6', '#ced4da', '#adb5bd', '#666d75', '#495057', '#343a40', '#212529'];

/** Every close button (dialogs, drawers, toasts) has a name for screen readers: it is an icon. */
const closeButtonProps = { 'aria-label': 'Close' };

export const theme = createTheme({
  primaryColor: 'indigo',
  // Filled and coloured-text shades that pass WCAG AA are picked in contrast.ts.
  primaryShade: 6,
  colors: { gray } satisfies Partial<Record<DefaultMantineColor, MantineColorsTuple>>,
  fontFamily: SYSTEM_FONTS,
  fontFamilyMonospace: 'ui-monospace, "SF Mono", "Cascadia Mono", "Roboto Mono", Menlo, Consolas, monospace',
  headings: { fontFamily: SYSTEM_FONTS, fontWeight: '600' },
  defaultRadius: 'sm',
  fontSizes: { xs: '12px', sm: '13px', md: '14px', lg: '16px', xl: '18px' },
  lineHeights: { xs: '1.35', sm: '1.4', md: '1.45' },
  components: {
    Badge: Badge.extend({ defaultProps: { radius: 'sm' } }),
    Tooltip: Tooltip.extend({ defaultProps: { withArrow: true, openDelay: 300, fz: 'xs' } }),
    // A button, not Mantine's default <a> without an href (which Tab never reaches); an active link's
    // description at full opacity (Mantine's 0.9 takes it under 4.5:1 on the active tint).
    NavLink: NavLink.extend({ defaultProps: { py: 5, component: 'button' }, styles: { description: { opacity: 1 } } }),
    // No focus placeholder: a bare focusable div is not something a menu may hold (axe: aria-required-children).
    Menu: Menu.extend({ defaultProps: { withInitialFocusPlaceholder: false } }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps } }),
  },
});
