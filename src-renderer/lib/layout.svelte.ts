/**
 * The studio's layout, remembered per project: the sidebar's width, the three Explore panes (size, collapsed,
 * maximised) and the bottom panel (open, height, tab). Sizes are weights for the panes (they share the width
 * that is left) and pixels for the sidebar and the panel; both are clamped to the window when used.
 */
import { load, save } from './persist.ts';

export type PaneId = 'py' | 'ir' | 'c';
export const PANES: PaneId[] = ['py', 'ir', 'c'];
export type DockTab = 'problems' | 'build';

export interface Layout {
  sidebar: { width: number; collapsed: boolean };
  panes: Record<PaneId, { weight: number; collapsed: boolean }>;
  maximised: PaneId | null;
  dock: { open: boolean; height: number; tab: DockTab };
}

export const DEFAULT_LAYOUT: Layout = {
  sidebar: { width: 240, collapsed: false },
  panes: { py: { weight: 0.9, collapsed: false }, ir: { weight: 1.3, collapsed: false }, c: { weight: 1, collapsed: false } },
  maximised: null,
  dock: { open: false, height: 230, tab: 'problems' },
};

export const SIDEBAR_MIN = 180;
export const SIDEBAR_MAX = 520;
export const DOCK_MIN = 90;

const copy = (l: Layout): Layout => JSON.parse(JSON.stringify(l));

class LayoutState {
  current = $state<Layout>(copy(DEFAULT_LAYOUT));
  private key: string | null = null;

  /** Switches to a project's remembered layout. */
  use(root: string | null) {
    this.key = root ? `kiln.layout:${root}` : null;
    const stored = root ? load<Partial<Layout>>(this.key!, {}) : {};
    const d = copy(DEFAULT_LAYOUT);
    this.current = {
      sidebar: { ...d.sidebar, ...stored.sidebar },
      panes: Object.fromEntries(PANES.map((p) => [p, { ...d.panes[p], ...stored.panes?.[p] }])) as Layout['panes'],
      maximised: stored.maximised ?? null,
      dock: { ...d.dock, ...stored.dock },
    };
  }

  persist() {
    if (this.key) save(this.key, $state.snapshot(this.current));
  }

  /** A pane is drawn in full (else as a narrow strip that brings it back). */
  shown(p: PaneId): boolean {
    const l = this.current;
    return l.maximised ? l.maximised === p : !l.panes[p].collapsed;
  }

  toggleCollapsed(p: PaneId) {
    const l = this.current;
    if (l.maximised) {
      l.maximised = null;
      l.panes[p].collapsed = false;
    } else {
      // Never collapse the last pane shown.
      const open = PANES.filter((q) => !l.panes[q].collapsed);
      if (!l.panes[p].collapsed && open.length === 1) return;
      l.panes[p].collapsed = !l.panes[p].collapsed;
    }
    this.persist();
  }

  toggleMaximised(p: PaneId) {
    this.current.maximised = this.current.maximised === p ? null : p;
    if (!this.current.maximised) this.current.panes[p].collapsed = false;
    this.persist();
  }

  /** The panes' default sizes (a double click on a sash, as in VS Code). */
  resetPanes() {
    for (const p of PANES) this.current.panes[p].weight = DEFAULT_LAYOUT.panes[p].weight;
    this.persist();
  }

  restoreAll() {
    this.current.maximised = null;
    for (const p of PANES) this.current.panes[p].collapsed = false;
    this.persist();
  }

  openDock(tab: DockTab) {
    this.current.dock.open = true;
    this.current.dock.tab = tab;
    this.persist();
  }

  toggleDock(tab?: DockTab) {
    const d = this.current.dock;
    if (tab && (!d.open || d.tab !== tab)) this.openDock(tab);
    else { d.open = !d.open; this.persist(); }
  }
}

export const layout = new LayoutState();
