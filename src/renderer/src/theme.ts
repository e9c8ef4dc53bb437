/** One restrained theme: system fonts (no remote content), dense sizes, small radii. */
import { Badge, createTheme, NavLink, Tooltip } from '@mantine/core';

export const SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, "Helvetica Neue", Arial, sans-serif';

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 6,
  fontFamily: SYSTEM_FONTS,
  fontFamilyMonospace: 'ui-monospace, "SF Mono", "Cascadia Mono", "Roboto Mono", Menlo, Consolas, monospace',
  headings: { fontFamily: SYSTEM_FONTS, fontWeight: '600' },
  defaultRadius: 'sm',
  fontSizes: { xs: '12px', sm: '13px', md: '14px', lg: '16px', xl: '18px' },
  lineHeights: { xs: '1.35', sm: '1.4', md: '1.45' },
  components: {
    Badge: Badge.extend({ defaultProps: { radius: 'sm' } }),
    Tooltip: Tooltip.extend({ defaultProps: { withArrow: true, openDelay: 300, fz: 'xs' } }),
    NavLink: NavLink.extend({ defaultProps: { py: 5 } }),
  },
});
