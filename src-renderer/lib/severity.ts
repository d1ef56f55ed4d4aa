/**
 * One look per severity, everywhere a message is shown (diagnostics, build rows, history, settings, toasts):
 * error, warning, info and success each have a colour (app.css `.note.<severity>`) and an icon, so that the
 * colour is never the only sign.
 */
export type Severity = 'error' | 'warning' | 'info' | 'success';

export const SEVERITY_ICON: Record<Severity, string> = { error: '✕', warning: '!', info: 'i', success: '✓' };
export const SEVERITY_LABEL: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Note', success: 'Done' };

/** The severity of a build or verification outcome's first line. */
export function outcomeSeverity(status: string | null | undefined): Severity {
  switch (status) {
    case 'verified': return 'success';
    case 'built':
    case 'built-not-executed': return 'info';
    case 'cancelled': return 'warning';
    default: return 'error';
  }
}

/** The label and icon of a target's build status. */
export const STATUS_LABEL: Record<string, string> = {
  verified: 'verified', 'built-not-executed': 'built, not executed', built: 'built', failed: 'failed', cancelled: 'cancelled',
};
export const STATUS_ICON: Record<string, string> = { verified: '✓', 'built-not-executed': '◐', built: '◐', failed: '✕', cancelled: '⊘' };
