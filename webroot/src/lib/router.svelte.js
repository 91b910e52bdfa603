export const route = $state({ path: location.pathname, query: new URLSearchParams(location.search) });

/** Asked before the page moves elsewhere inside the app; answers false to stay (unsaved work). */
let mayLeave = null;

export function guardLeaving(ask) {
  mayLeave = ask;
  return () => {
    if (mayLeave === ask) mayLeave = null;
  };
}

addEventListener('popstate', () => {
  if (mayLeave && !mayLeave()) {
    // Back has already changed the address; put the page's own address back.
    history.pushState({}, '', route.path + (route.query.size ? `?${route.query}` : ''));
    return;
  }
  route.path = location.pathname;
  route.query = new URLSearchParams(location.search);
});

export function navigate(href, { replace = false } = {}) {
  if (mayLeave && !mayLeave()) return;
  const url = new URL(href, location.href);
  history[replace ? 'replaceState' : 'pushState']({}, '', url);
  route.path = url.pathname;
  route.query = url.searchParams;
  scrollTo(0, 0);
}

/** `/c/:id` style matching: the named parts, or null. */
export function match(pattern, path) {
  const names = [];
  const regex = new RegExp('^' + pattern.replace(/:([a-zA-Z]+)/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  }) + '/?$');
  const found = regex.exec(path);
  return found ? Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1])])) : null;
}

/** Use on internal links: keeps navigation in the page unless a modifier key asks for a new tab. */
export function link(node) {
  const onClick = (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(node.getAttribute('href'));
  };
  node.addEventListener('click', onClick);
  return { destroy: () => node.removeEventListener('click', onClick) };
}
