export default {
  compilerOptions: {
    runes: true,
    // The graph canvas takes pointer input (click to select, drag to pan, click the overview to jump)
    // with search and buttons beside it for the keyboard; these two hints do not fit an SVG canvas.
    warningFilter: (w) => !['a11y_click_events_have_key_events', 'a11y_no_noninteractive_element_interactions'].includes(w.code),
  },
};
