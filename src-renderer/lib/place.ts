/**
 * Where the user is (project, view, function), kept in the address's hash and in localStorage so that a
 * reload, or the token URL opened again, comes back to the same place.
 */
import { load, save } from './persist.ts';

export type View = 'explore' | 'build' | 'history' | 'bench' | 'settings';
export const VIEWS: View[] = ['explore', 'build', 'history', 'bench', 'settings'];

export interface Place {
  project: string | null;
  view: View;
  file: string | null;
  /** null with a file: the file itself (one that does not parse). */
  fn: string | null;
}

const KEY = 'kiln.place';
const EMPTY: Place = { project: null, view: 'explore', file: null, fn: null };

function fromHash(): Place | null {
  const h = new URLSearchParams(location.hash.replace(/^#/, ''));
  const project = h.get('project');
  if (!project) return null;
  const view = h.get('view') as View | null;
  return { project, view: view && VIEWS.includes(view) ? view : 'explore', file: h.get('file'), fn: h.get('fn') };
}

/** The place to come back to: the hash first (this tab's own address), else the last place remembered. */
export function savedPlace(): Place {
  return fromHash() ?? load<Place>(KEY, EMPTY);
}

export function rememberPlace(p: Place): void {
  save(KEY, p);
  const h = new URLSearchParams();
  if (p.project) {
    h.set('project', p.project);
    h.set('view', p.view);
    if (p.file) h.set('file', p.file);
    if (p.fn) h.set('fn', p.fn);
  }
  const hash = p.project ? `#${h.toString()}` : '';
  if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
}
